"""Pretrained transformers in NumPy: Hugging Face-format folders (BERT-style encoders, GPT-2-style
decoders), each layer's attention computed by the one ``multi_head_attention`` of the core.

    from attention_core.models.registry import available_models, load_model

    model = load_model("all-MiniLM-L6-v2")     # a name from available_models()
    trace = model.run(model.tokenize("The cat sat."))
    trace.pattern                              # [layer, head, query_pos, key_pos]

Only the loaders (``hf_folder``, ``hf_tokenizer``, ``checkpoint``) import ``tokenizers`` and
``safetensors``; ``registry`` imports them only when they are installed (the package's ``[models]``
extra), so the bundled model loads without them. Importing this package, ``trace`` or ``base`` does not.
"""

from attention_core.models.base import Model, ModelError
from attention_core.models.config import ModelConfig
from attention_core.models.trace import ModelTrace

__all__ = ["Model", "ModelConfig", "ModelError", "ModelTrace"]
