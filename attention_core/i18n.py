"""Every English and Korean string of the app, in one table: the pages read it through
``pages.ui.i18n.t`` (the language chosen in the sidebar), the offline lesson file
(``attention_core/viz/lesson_html.py``) directly. Names of arrays (Q, K, V, W_O, d_model …) are the same in
both languages. The strings are Markdown with ``{name}`` places for values; who fills them in decides how a
value is shown safely (inline code on the pages, escaped HTML in the file).
"""

from __future__ import annotations

LANGUAGES = {"en": "English", "ko": "한국어"}

STRINGS: dict[str, dict[str, str]] = {
    # --- app and navigation ---
    "app.title": {"en": "Attention Explorer", "ko": "어텐션 익스플로러"},
    "app.language": {"en": "Language", "ko": "언어"},
    "nav.overview": {"en": "Overview", "ko": "개요"},
    "nav.attention": {"en": "Attention", "ko": "어텐션"},
    "nav.self_attention": {"en": "Self-attention", "ko": "셀프 어텐션"},
    "nav.multi_head": {"en": "Multi-head attention", "ko": "멀티헤드 어텐션"},
    "nav.overview.help": {
        "en": "Type a sentence: its tokens and all attention heads at a glance.",
        "ko": "문장을 입력하면 토큰과 모든 어텐션 헤드를 한눈에 봅니다.",
    },
    "nav.attention.help": {
        "en": "A query sentence attending over another sentence: the roles of Q, K and V.",
        "ko": "한 문장의 쿼리가 다른 문장에 주의를 기울입니다: Q, K, V의 역할.",
    },
    "nav.self_attention.help": {
        "en": "Self-attention step by step, with every matrix, shape and number.",
        "ko": "셀프 어텐션을 단계별로: 모든 행렬, 크기, 숫자와 함께.",
    },
    "nav.multi_head.help": {
        "en": "Heads side by side, then concat and the output projection W_O.",
        "ko": "헤드를 나란히 보고, 이어 붙인 뒤 출력 투영 W_O로.",
    },
    "nav.model_explorer": {"en": "Model explorer", "ko": "모델 탐색기"},
    "nav.head_atlas": {"en": "Head atlas", "ko": "헤드 지도"},
    "nav.model_explorer.help": {
        "en": "A real trained model on your sentence: all layers × heads, head view, neuron view.",
        "ko": "학습된 실제 모델을 내 문장에: 모든 층 × 헤드, 헤드 보기, 뉴런 보기.",
    },
    "nav.head_atlas.help": {
        "en": "What each head of a real model does: metrics, roles, and all heads of a role.",
        "ko": "실제 모델의 각 헤드가 하는 일: 지표, 역할, 같은 역할의 헤드 모두 보기.",
    },
    # --- sentence and settings ---
    "sentence.label": {"en": "Sentence", "ko": "문장"},
    "sentence.placeholder": {
        "en": "Type a sentence and press Enter",
        "ko": "문장을 입력하고 Enter를 누르세요",
    },
    "sentence.examples": {"en": "Examples", "ko": "예문"},
    "source.label": {"en": "Source sentence (keys and values)", "ko": "원본 문장 (키와 값)"},
    "settings.title": {"en": "Settings", "ko": "설정"},
    "settings.d_model": {"en": "d_model (width of a token vector)", "ko": "d_model (토큰 벡터의 폭)"},
    "settings.heads": {"en": "Heads (n_heads)", "ko": "헤드 수 (n_heads)"},
    "settings.d_k": {"en": "d_k (query/key width per head)", "ko": "d_k (헤드별 쿼리/키 폭)"},
    "settings.d_v": {"en": "d_v (value width per head)", "ko": "d_v (헤드별 값 폭)"},
    "settings.auto": {"en": "auto", "ko": "자동"},
    "settings.auto.help": {
        "en": "Leave empty for the usual d_model ÷ heads.",
        "ko": "비워 두면 보통처럼 d_model ÷ 헤드 수가 됩니다.",
    },
    "settings.seed": {"en": "Seed of the random weights", "ko": "무작위 가중치의 시드"},
    "settings.causal": {"en": "Causal mask", "ko": "인과 마스크"},
    "settings.causal.help": {
        "en": "Each token may attend only to itself and the tokens before it (as in a decoder).",
        "ko": "각 토큰은 자기 자신과 앞의 토큰에만 주의를 기울일 수 있습니다 (디코더처럼).",
    },
    "settings.positional": {"en": "Positional encoding", "ko": "위치 인코딩"},
    "settings.positional.help": {
        "en": "Add the sinusoidal position vectors of Vaswani et al. (2017) to the token vectors.",
        "ko": "Vaswani 외 (2017)의 사인파 위치 벡터를 토큰 벡터에 더합니다.",
    },
    "settings.temperature": {"en": "Softmax temperature", "ko": "소프트맥스 온도"},
    "settings.temperature.help": {
        "en": "Scores are divided by √d_k × temperature: above 1 flattens the pattern, below 1 sharpens it.",
        "ko": "점수를 √d_k × 온도로 나눕니다: 1보다 크면 패턴이 평평해지고, 작으면 날카로워집니다.",
    },
    "settings.export": {"en": "Figure download format", "ko": "그림 내려받기 형식"},
    "settings.export.help": {
        "en": "The camera button on every figure saves it in this format.",
        "ko": "각 그림의 카메라 버튼이 이 형식으로 저장합니다.",
    },
    "settings.weights_note": {
        "en": "The teaching model's embeddings and weights are random, fixed by the seed: the heads show "
        "how attention computes, not what a trained model has learned.",
        "ko": "교육용 모델의 임베딩과 가중치는 시드로 고정된 무작위 값입니다. 헤드는 어텐션이 어떻게 "
        "계산되는지를 보여 줄 뿐, 학습된 모델이 배운 것을 보여 주지는 않습니다.",
    },
    # --- messages ---
    "msg.empty": {
        "en": "Type a sentence to see its attention.",
        "ko": "문장을 입력하면 어텐션을 볼 수 있습니다.",
    },
    "msg.bad_settings": {
        "en": "These settings cannot make an attention layer",
        "ko": "이 설정으로는 어텐션 층을 만들 수 없습니다",
    },
    "msg.not_divisible": {
        "en": "d_model = {d_model} is not divisible by n_heads = {n_heads}. Choose another pair, or set d_k "
        "and d_v yourself.",
        "ko": "d_model = {d_model}은 n_heads = {n_heads}로 나누어떨어지지 않습니다. 다른 조합을 고르거나 "
        "d_k와 d_v를 직접 정하세요.",
    },
    "msg.out_of_range": {
        "en": "{name} must be a whole number from {low} to {high}, not {value}.",
        "ko": "{name}은 {low}에서 {high} 사이의 정수여야 합니다 ({value}은 안 됩니다).",
    },
    "msg.causal_cross": {
        "en": "The causal mask belongs to self-attention: a sentence attending over another sentence has no order between the two. Turn it off in the settings.",
        "ko": "인과 마스크는 셀프 어텐션에만 씁니다: 한 문장이 다른 문장에 주의를 기울일 때는 두 문장 사이에 순서가 없습니다. 설정에서 꺼 주세요.",
    },
    "msg.too_big": {
        "en": "These settings would compute {numbers:,} numbers for {n} tokens; one request may ask for at most {limit:,}. Lower d_k, d_v, the number of heads or d_model, or use a shorter sentence.",
        "ko": "이 설정은 토큰 {n}개에 숫자 {numbers:,}개를 계산해야 합니다. 한 번의 요청은 최대 {limit:,}개까지입니다. d_k, d_v, 헤드 수나 d_model을 줄이거나 더 짧은 문장을 쓰세요.",
    },
    "msg.chars_cut": {
        "en": "The text has {n_total:,} characters; only the first {n:,} are read.",
        "ko": "텍스트는 {n_total:,}자입니다. 처음 {n:,}자만 읽습니다.",
    },
    "sentence.not_in_url": {
        "en": "This text is longer than {n:,} characters, too long to keep in the page's link: a copied link keeps everything else.",
        "ko": "이 텍스트는 {n:,}자보다 길어서 페이지 링크에 담지 않습니다. 복사한 링크에는 나머지 설정만 담깁니다.",
    },
    "url.empty": {"en": "(empty: automatic)", "ko": "(비움: 자동)"},
    "url.not_number": {
        "en": "{name} = {given} is not a number: {used} is used instead.",
        "ko": "{name} = {given}은(는) 숫자가 아닙니다. 대신 {used}을(를) 씁니다.",
    },
    "url.out_of_range": {
        "en": "{name} = {given} is out of range: {used} is used instead.",
        "ko": "{name} = {given}은(는) 허용 범위를 벗어났습니다. 대신 {used}을(를) 씁니다.",
    },
    "url.off_grid": {
        "en": "{name} = {given} is not one of the slider's steps: {used} is used instead.",
        "ko": "{name} = {given}은(는) 슬라이더의 눈금에 없습니다. 대신 {used}을(를) 씁니다.",
    },
    "url.unknown_choice": {
        "en": "{name} = {given} is not one of the choices here: {used} is used instead.",
        "ko": "{name} = {given}은(는) 여기서 고를 수 있는 값이 아닙니다. 대신 {used}을(를) 씁니다.",
    },
    "url.unknown_model": {
        "en": "{name} = {given}: unknown model, not one this server offers. The teaching layer is shown instead.",
        "ko": "{name} = {given}: 알 수 없는 모델입니다 (이 서버에 없는 모델). 대신 교육용 층을 보여 줍니다.",
    },
    "url.not_flag": {
        "en": "{name} = {given} is neither true nor false: {used} is used instead.",
        "ko": "{name} = {given}은(는) true도 false도 아닙니다. 대신 {used}을(를) 씁니다.",
    },
    "url.not_text": {
        "en": "{name} is not text: {used} is used instead.",
        "ko": "{name}은(는) 텍스트가 아닙니다. 대신 {used}을(를) 씁니다.",
    },
    "url.unusable": {
        "en": "{name} = {given} cannot be used: {used}",
        "ko": "{name} = {given}은(는) 쓸 수 없습니다: {used}",
    },
    "url.repeated": {
        "en": "{name} appears {given} in the link: the last value, {used}, is used.",
        "ko": "링크에 {name}가 {given} 들어 있습니다. 마지막 값 {used}을(를) 씁니다.",
    },
    "msg.capped": {
        "en": "The text has {n_total} tokens; only the first {n} are shown and computed.",
        "ko": "텍스트는 토큰 {n_total}개입니다. 처음 {n}개만 계산하고 표시합니다.",
    },
    "msg.model_cap": {
        "en": "This model reads at most {n} tokens here (its context is {n_ctx}): the attention patterns of all its {n_layers} × {n_heads} heads stay within {limit:.0f} million numbers, so one request cannot take the server's memory.",
        "ko": "이 모델은 여기서 최대 {n}개 토큰을 읽습니다 (문맥 길이는 {n_ctx}). {n_layers} × {n_heads}개 헤드 전체의 어텐션 패턴을 {limit:.0f}백만 개 숫자 안으로 묶어, 한 번의 요청이 서버 메모리를 차지하지 못하게 합니다.",
    },
    "msg.source_capped": {
        "en": "The source sentence has {n_total} tokens; only the first {n} are used.",
        "ko": "원본 문장은 토큰 {n_total}개입니다. 처음 {n}개만 사용합니다.",
    },
    "msg.images": {
        "en": "With more than {n} tokens the heatmaps are drawn as images: hover shows positions, not values.",
        "ko": "토큰이 {n}개를 넘으면 히트맵을 이미지로 그립니다. 마우스를 올리면 값 대신 위치를 보여 줍니다.",
    },
    "overview.token_table": {
        "en": "Position, token and id of all {n} tokens",
        "ko": "토큰 {n}개의 위치, 토큰, id",
    },
    "multi.qkv.head": {"en": "Q, K, V of head", "ko": "Q, K, V를 볼 헤드"},
    "neuron.q": {"en": "q  (query {query})", "ko": "q  (쿼리 {query})"},
    "neuron.k": {"en": "k  (key {key})", "ko": "k  (키 {key})"},
    "neuron.product": {
        "en": "q ⊙ k:  Σ = {score},  ÷ √{d_k} = {scaled}",
        "ko": "q ⊙ k:  합 Σ = {score},  ÷ √{d_k} = {scaled}",
    },
    "neuron.scaled": {"en": "scaled scores of the whole row", "ko": "이 행 전체의 스케일된 점수"},
    "neuron.softmax": {
        "en": "softmax: pattern[{i}, {j}] = {weight}",
        "ko": "소프트맥스: 패턴[{i}, {j}] = {weight}",
    },
    "neuron.dimension": {"en": "dimension", "ko": "차원"},
    "atlas.column.layer": {"en": "layer", "ko": "층"},
    "atlas.column.head": {"en": "head", "ko": "헤드"},
    "atlas.column.role": {"en": "role", "ko": "역할"},
    "atlas.column.entropy": {"en": "entropy (bits)", "ko": "엔트로피 (비트)"},
    "atlas.column.normalized_entropy": {"en": "entropy ÷ max", "ko": "엔트로피 ÷ 최대"},
    "atlas.column.distance": {"en": "distance (tokens)", "ko": "거리 (토큰)"},
    "atlas.column.to_previous": {"en": "→ previous", "ko": "→ 이전 토큰"},
    "atlas.column.to_next": {"en": "→ next", "ko": "→ 다음 토큰"},
    "atlas.column.to_self": {"en": "→ itself", "ko": "→ 자기 자신"},
    "atlas.column.to_first": {"en": "→ first", "ko": "→ 첫 토큰"},
    "atlas.column.to_cls": {"en": "→ [CLS]", "ko": "→ [CLS]"},
    "atlas.column.to_sep": {"en": "→ [SEP]", "ko": "→ [SEP]"},
    "atlas.column.to_punctuation": {"en": "→ punctuation", "ko": "→ 문장 부호"},
    "attention.causal_off": {
        "en": "The causal mask is on, but it is not applied here: the causal mask belongs to self-attention, where one sequence has an order to respect. A sentence attending over another sentence has no order between the two, so every query sees every key. (The self-attention page applies it.)",
        "ko": "인과 마스크가 켜져 있지만 여기서는 적용하지 않습니다. 인과 마스크는 한 시퀀스의 순서를 지키는 셀프 어텐션에만 씁니다. 한 문장이 다른 문장에 주의를 기울일 때는 두 문장 사이에 순서가 없으므로 모든 쿼리가 모든 키를 봅니다. (셀프 어텐션 페이지에서는 적용됩니다.)",
    },
    "multi.tab.patterns": {"en": "heads", "ko": "헤드"},
    "attention.tab.all_heads": {"en": "all heads", "ko": "모든 헤드"},
    "self.panel.masked": {"en": "scaled, masked", "ko": "scaled, 마스크 적용"},
    "self.tab.mask": {"en": "mask", "ko": "마스크"},
    "self.tab.row": {"en": "one row", "ko": "한 행"},
    "self.latex.where": {"en": "where", "ko": "단,"},
    "self.latex.all_allowed": {"en": "every key allowed", "ko": "모든 키 허용"},
    "steps.heading": {"en": "Step {step} of {count}: {title}", "ko": "{count}단계 중 {step}단계: {title}"},
    "steps.previous": {"en": "Previous", "ko": "이전"},
    "steps.next": {"en": "Next", "ko": "다음"},
    "numbers.title": {"en": "The numbers of these matrices", "ko": "이 행렬들의 숫자"},
    "numbers.row": {"en": "row", "ko": "행"},
    "download.trace": {"en": "Download this trace (.npz)", "ko": "이 트레이스 내려받기 (.npz)"},
    "download.too_big": {
        "en": 'The whole trace of this text would be about {mb:,.0f} MB, more than the {limit:,.0f} MB this server sends. The command line writes it: python -m attention_core trace "…" --model NAME --out trace.npz',
        "ko": '이 텍스트의 전체 트레이스는 약 {mb:,.0f} MB로, 이 서버가 보내는 {limit:,.0f} MB보다 큽니다. 명령줄에서 저장하세요: python -m attention_core trace "…" --model NAME --out trace.npz',
    },
    "download.help": {
        "en": "Every array of this computation, named as in the README (x, W_Q, q, scores, pattern, z, out …).",
        "ko": "이 계산의 모든 배열. 이름은 README와 같습니다 (x, W_Q, q, scores, pattern, z, out …).",
    },
    # --- shared words ---
    "word.head": {"en": "head", "ko": "헤드"},
    "word.query": {"en": "query", "ko": "쿼리"},
    "word.key": {"en": "key", "ko": "키"},
    "word.attention": {"en": "attention", "ko": "어텐션"},
    "word.position": {"en": "position", "ko": "위치"},
    "word.token": {"en": "token", "ko": "토큰"},
    "word.id": {"en": "id", "ko": "ID"},
    "word.shape": {"en": "shape", "ko": "크기"},
    # --- overview page ---
    "overview.intro": {
        "en": "Type a sentence in Korean or English. It is cut into tokens by a SentencePiece model, each token "
        "becomes a vector, and a multi-head attention layer computes, for every token, how much it attends to "
        "every other token. Every number on these pages is computed exactly, here, in NumPy.",
        "ko": "한국어나 영어 문장을 입력하세요. SentencePiece 모델이 문장을 토큰으로 자르고, 각 토큰은 벡터가 "
        "되며, 멀티헤드 어텐션 층이 토큰마다 다른 모든 토큰에 얼마나 주의를 기울이는지 계산합니다. 이 "
        "페이지들의 모든 숫자는 여기서 NumPy로 정확하게 계산됩니다.",
    },
    "overview.tokens": {"en": "Tokens", "ko": "토큰"},
    "overview.tokens.caption": {
        "en": "{n} tokens. ▁ marks the start of a word; a character missing from the vocabulary is spelled "
        "as its UTF-8 bytes (shown as “char 1/3”).",
        "ko": "토큰 {n}개. ▁는 단어의 시작을 뜻하고, 어휘에 없는 글자는 UTF-8 바이트로 나뉩니다 "
        "(“글자 1/3”처럼 표시).",
    },
    "overview.heads": {"en": "All heads at a glance", "ko": "모든 헤드 한눈에 보기"},
    "overview.heads.caption": {
        "en": "Row = the token that asks (query), column = the token it looks at (key). Each row sums to 1.",
        "ko": "행 = 묻는 토큰 (쿼리), 열 = 바라보는 토큰 (키). 각 행의 합은 1입니다.",
    },
    "overview.next": {"en": "Where to go next", "ko": "다음으로 볼 곳"},
    # --- attention page ---
    "attention.intro": {
        "en": "Attention lets each token of one sequence (the **queries**) gather information from another "
        "sequence (the **keys** and **values**). Here the queries come from your sentence and the keys and "
        "values from a source sentence, such as its translation: this is cross-attention, as in a "
        "translation model's decoder.",
        "ko": "어텐션은 한 시퀀스의 각 토큰(**쿼리**)이 다른 시퀀스(**키**와 **값**)에서 정보를 모으게 합니다. "
        "여기서 쿼리는 입력한 문장에서, 키와 값은 번역문 같은 원본 문장에서 옵니다. 번역 모델의 디코더처럼 "
        "동작하는 크로스 어텐션입니다.",
    },
    "attention.roles": {"en": "Query, key and value", "ko": "쿼리, 키, 값"},
    "attention.q_role": {
        "en": "`Q = X·W_Q`: one row per token of your sentence, what that token is looking for",
        "ko": "`Q = X·W_Q`: 입력 문장의 토큰마다 한 행, 그 토큰이 찾는 것",
    },
    "attention.k_role": {
        "en": "`K = X_src·W_K`: one row per source token, what it can be found by",
        "ko": "`K = X_src·W_K`: 원본 토큰마다 한 행, 그 토큰이 찾아지는 기준",
    },
    "attention.v_role": {
        "en": "`V = X_src·W_V`: one row per source token, what it hands over when attended to",
        "ko": "`V = X_src·W_V`: 원본 토큰마다 한 행, 주의를 받을 때 건네주는 것",
    },
    "attention.pattern": {"en": "Who attends to whom", "ko": "누가 누구에게 주의를 기울이나"},
    "attention.pattern.caption": {
        "en": "pattern = softmax(Q·Kᵀ / √d_k): a row per query token, a column per source token.",
        "ko": "pattern = softmax(Q·Kᵀ / √d_k): 쿼리 토큰마다 한 행, 원본 토큰마다 한 열.",
    },
    "attention.z": {"en": "What each query token receives", "ko": "각 쿼리 토큰이 받는 것"},
    "attention.z.caption": {
        "en": "Z = pattern · V: each row is a weighted average of the value rows.",
        "ko": "Z = pattern · V: 각 행은 값 행들의 가중 평균입니다.",
    },
    "attention.all_heads": {"en": "All heads", "ko": "모든 헤드"},
    "attention.head": {"en": "Head to look at", "ko": "살펴볼 헤드"},
    # --- model explorer ---
    "model.label": {"en": "Model", "ko": "모델"},
    "model.none": {
        "en": "No model is installed on this server. `make run` installs all-MiniLM-L6-v2; other Hugging Face folders can be put in the folder named by $ATTENTION_EXPLORER_MODELS.",
        "ko": "이 서버에 설치된 모델이 없습니다. `make run`이 all-MiniLM-L6-v2를 설치합니다. 다른 Hugging Face 폴더는 $ATTENTION_EXPLORER_MODELS가 가리키는 폴더에 넣으면 됩니다.",
    },
    "model.error": {"en": "This model cannot be used", "ko": "이 모델을 쓸 수 없습니다"},
    "model.summary": {
        "en": "{name}: {n_layers} layers × {n_heads} heads, d_model {d_model}, d_k {d_k}, {kind}; {n} tokens by its own tokenizer.",
        "ko": "{name}: {n_layers}개 층 × {n_heads}개 헤드, d_model {d_model}, d_k {d_k}, {kind}; 모델 자신의 토크나이저로 토큰 {n}개.",
    },
    "model.kind.bert": {"en": "bidirectional encoder", "ko": "양방향 인코더"},
    "model.kind.gpt2": {"en": "causal decoder", "ko": "인과 디코더"},
    "model.kind.lm": {"en": "causal language model", "ko": "인과 언어 모델"},
    "explorer.view": {"en": "View", "ko": "보기"},
    "explorer.view.model": {"en": "Model view", "ko": "모델 보기"},
    "explorer.view.head": {"en": "Head view", "ko": "헤드 보기"},
    "explorer.view.neuron": {"en": "Neuron view", "ko": "뉴런 보기"},
    "explorer.layer": {"en": "Layer", "ko": "층"},
    "explorer.head": {"en": "Head", "ko": "헤드"},
    "explorer.hide_special": {
        "en": "Hide special tokens ([CLS], [SEP], <s>)",
        "ko": "특수 토큰 숨기기 ([CLS], [SEP], <s>)",
    },
    "explorer.all_special": {
        "en": "Every token of this text is a special token, so none are hidden.",
        "ko": "이 텍스트의 토큰이 모두 특수 토큰이라 숨기지 않습니다.",
    },
    "explorer.hidden_note": {
        "en": "Special tokens hidden; each row renormalized to sum to 1 over the remaining tokens.",
        "ko": "특수 토큰을 숨기고, 각 행을 남은 토큰에 대해 합이 1이 되도록 다시 정규화했습니다.",
    },
    "explorer.hidden_short": {
        "en": "special tokens hidden, rows renormalized",
        "ko": "특수 토큰 숨김, 행 재정규화",
    },
    "explorer.model_view.caption": {
        "en": "Every head of every layer on your sentence (white = 0, dark blue = 1). Click a head to open it below, or pick it above.",
        "ko": "내 문장에 대한 모든 층의 모든 헤드 (흰색 = 0, 진한 파랑 = 1). 헤드를 클릭하면 아래에 크게 열리고, 위에서 골라도 됩니다.",
    },
    "explorer.pooled": {
        "en": "{n} tokens: each thumbnail shows the largest weight of every {f} × {f} square of cells.",
        "ko": "토큰 {n}개: 각 작은 그림은 {f} × {f} 칸마다 가장 큰 가중치를 보여 줍니다.",
    },
    "explorer.selected": {"en": "Layer {layer}, head {head}", "ko": "{layer}층, {head}번 헤드"},
    "explorer.head_view.caption": {
        "en": "Layer {layer}: each line joins a token (left) to a token it attends to (right); the darker, the more attention. One colour per head.",
        "ko": "{layer}층: 각 선은 토큰(왼쪽)과 그 토큰이 주의를 기울이는 토큰(오른쪽)을 잇습니다. 진할수록 어텐션이 큽니다. 헤드마다 한 색.",
    },
    "explorer.head_view.hint": {
        "en": "Hover a token to see only its lines; click it to lock; click a coloured head to hide or show it.",
        "ko": "토큰에 마우스를 올리면 그 토큰의 선만 보입니다. 클릭하면 고정되고, 색 헤드를 누르면 숨기거나 보입니다.",
    },
    "explorer.head_view.locked": {
        "en": "Locked on a token: click it again to unlock.",
        "ko": "토큰에 고정됨: 다시 클릭하면 풀립니다.",
    },
    "explorer.head_view.capped": {
        "en": "The head view draws the first {n} of {n_total} tokens.",
        "ko": "헤드 보기는 토큰 {n_total}개 중 처음 {n}개를 그립니다.",
    },
    "explorer.neuron.query": {"en": "Query token", "ko": "쿼리 토큰"},
    "explorer.neuron.key": {"en": "Key token", "ko": "키 토큰"},
    "explorer.neuron.caption": {
        "en": "q_i and k_j of this head, their elementwise product (its sum is the score), the scaling, and the softmax over the whole row.",
        "ko": "이 헤드의 q_i와 k_j, 둘의 원소별 곱(그 합이 점수), 나누기, 그리고 행 전체의 소프트맥스.",
    },
    "explorer.open_steps": {"en": "Open this head step by step", "ko": "이 헤드를 단계별로 보기"},
    "explorer.open_multi": {
        "en": "Open this layer's heads, concat and W_O",
        "ko": "이 층의 헤드, concat, W_O 보기",
    },
    "real.banner": {
        "en": "Showing layer {layer} of {model} (trained weights) on your sentence, in the model's own tokens.",
        "ko": "{model}의 {layer}층(학습된 가중치)을 모델 자신의 토큰으로 내 문장에 보여 줍니다.",
    },
    "real.back": {"en": "Back to the teaching layer", "ko": "교육용 층으로 돌아가기"},
    "real.x": {
        "en": "X = what this layer's attention receives: the residual stream (after LayerNorm in pre-LN models such as GPT-2)",
        "ko": "X = 이 층의 어텐션이 받는 입력: 잔차 흐름 (GPT-2 같은 pre-LN 모델에서는 LayerNorm 뒤)",
    },
    # --- head atlas ---
    "atlas.intro": {
        "en": "Each head of a trained model gets a few numbers — how spread out its attention is, how far it looks, how much goes to the previous, next or same token, to the first token or [CLS], to [SEP], to punctuation — and a role when one number stands out.",
        "ko": "학습된 모델의 각 헤드에 몇 가지 숫자를 매깁니다. 어텐션이 얼마나 퍼져 있는지, 얼마나 멀리 보는지, 이전·다음·같은 토큰, 첫 토큰이나 [CLS], [SEP], 문장 부호에 얼마나 가는지. 한 숫자가 두드러지면 역할을 붙입니다.",
    },
    "atlas.scope": {"en": "Measured on", "ko": "측정 대상"},
    "atlas.scope.sentence": {"en": "This sentence", "ko": "이 문장"},
    "atlas.scope.text": {"en": "Your own text", "ko": "내 글"},
    "atlas.upload": {
        "en": "Upload a text file (UTF-8, up to 200 KB)",
        "ko": "텍스트 파일 올리기 (UTF-8, 200 KB까지)",
    },
    "atlas.paste": {"en": "…or paste a text", "ko": "…또는 글 붙여 넣기"},
    "atlas.text.none": {
        "en": "Paste or upload a Korean or English text: every head is measured on each of its sentences.",
        "ko": "한국어나 영어 글을 붙여 넣거나 올리세요: 모든 헤드를 글의 문장마다 잽니다.",
    },
    "atlas.text.progress": {
        "en": "Measuring every head: sentence {done} of {total}",
        "ko": "모든 헤드 측정 중: 문장 {done}/{total}",
    },
    "atlas.text.unread": {
        "en": "Read the first {n:,} sentences; the other {unread:,} were not read: the atlas reads at most {limit:,} tokens of a text, so that one request stays within about two seconds.",
        "ko": "앞의 {n:,}문장을 읽었고 나머지 {unread:,}문장은 읽지 않았습니다. 한 번의 요청이 2초 안팎에 끝나도록 아틀라스는 텍스트에서 최대 {limit:,}개 토큰만 읽습니다.",
    },
    "atlas.text.summary": {
        "en": "{n} sentences, {tokens:,} tokens; {cut} sentences were longer than one run of the model reads "
        "and count with their first tokens only.",
        "ko": "문장 {n}개, 토큰 {tokens:,}개. 모델이 한 번에 읽는 것보다 긴 문장 {cut}개는 앞부분만 셉니다.",
    },
    "atlas.csv": {"en": "The table as CSV", "ko": "표를 CSV로"},
    "atlas.scope.builtin": {
        "en": "Built-in sentences ({n}, English and Korean)",
        "ko": "내장 문장 ({n}개, 영어와 한국어)",
    },
    "atlas.map": {"en": "Roles of all heads", "ko": "모든 헤드의 역할"},
    "atlas.rules": {
        "en": "A head gets the first role whose score reaches its threshold (and beats uniform attention over the same tokens): {rules}. Otherwise it is “mixed”.",
        "ko": "헤드는 점수가 기준에 이르고 (같은 토큰에 고르게 주는 어텐션보다 큰) 첫 역할을 받습니다: {rules}. 아니면 “혼합”입니다.",
    },
    "atlas.table": {
        "en": "Every head, every metric (click a column to sort)",
        "ko": "모든 헤드, 모든 지표 (열을 눌러 정렬)",
    },
    "atlas.role_pick": {"en": "Show me all heads of this role", "ko": "이 역할의 헤드 모두 보기"},
    "atlas.role_heads": {
        "en": "{n} heads: their patterns on your sentence",
        "ko": "헤드 {n}개: 내 문장에서의 패턴",
    },
    "atlas.role_none": {"en": "No head has this role here.", "ko": "여기에는 이 역할의 헤드가 없습니다."},
    "role.previous-token": {"en": "previous token", "ko": "이전 토큰"},
    "role.next-token": {"en": "next token", "ko": "다음 토큰"},
    "role.self": {"en": "self", "ko": "자기 자신"},
    "role.first-token / [CLS]": {"en": "first token / [CLS]", "ko": "첫 토큰 / [CLS]"},
    "role.[SEP]": {"en": "[SEP]", "ko": "[SEP]"},
    "role.punctuation": {"en": "punctuation", "ko": "문장 부호"},
    "role.broad": {"en": "broad", "ko": "넓게 봄"},
    "role.mixed": {"en": "mixed", "ko": "혼합"},
    # --- training page ---
    "nav.training": {"en": "Training", "ko": "학습 과정"},
    "nav.training.help": {
        "en": "How the heads of our own bilingual model changed while it learned.",
        "ko": "우리 이중 언어 모델의 헤드가 학습하는 동안 어떻게 바뀌었는지.",
    },
    "training.none": {
        "en": "The bundled model's assets are not installed (assets/model/ko-en-lm).",
        "ko": "내장 모델의 파일이 설치되어 있지 않습니다 (assets/model/ko-en-lm).",
    },
    "training.intro": {
        "en": "ko-en-lm is a small decoder-only language model ({n_layers} layers × {n_heads} heads, d_model {d_model}) trained here, in NumPy, on Korean and English text with the bundled SentencePiece tokenizer. Snapshots kept during training show the same heads before, while and after they learned. Move the slider.",
        "ko": "ko-en-lm은 여기서 NumPy로, 내장 SentencePiece 토크나이저와 한국어·영어 텍스트로 학습한 작은 디코더 전용 언어 모델입니다 ({n_layers}개 층 × {n_heads}개 헤드, d_model {d_model}). 학습 중에 남긴 스냅숏으로 같은 헤드를 배우기 전, 배우는 중, 배운 뒤에 볼 수 있습니다. 슬라이더를 움직여 보세요.",
    },
    "training.step": {"en": "Training step (snapshot)", "ko": "학습 단계 (스냅숏)"},
    "training.step.caption": {
        "en": "Step {step}: {tokens:,} training tokens seen. Validation loss there: Korean {ko:.3f}, English {en:.3f} nats per token.",
        "ko": "{step}단계: 학습 토큰 {tokens:,}개를 본 시점. 그때의 검증 손실: 한국어 {ko:.3f}, 영어 {en:.3f} (토큰당 nat).",
    },
    "training.loss": {"en": "Loss during training", "ko": "학습 중 손실"},
    "training.legend.train": {"en": "training batches (smoothed)", "ko": "학습 배치 (평활)"},
    "training.legend.ko": {"en": "Korean, held out", "ko": "한국어, 검증"},
    "training.legend.en": {"en": "English, held out", "ko": "영어, 검증"},
    "training.legend.bigram": {"en": "bigram", "ko": "바이그램"},
    "training.legend.unigram": {"en": "unigram", "ko": "유니그램"},
    "training.legend.step": {"en": "training step", "ko": "학습 단계"},
    "training.at_step": {"en": "step {step}", "ko": "{step}단계"},
    "training.legend.loss": {"en": "cross-entropy (nats per token)", "ko": "교차 엔트로피 (토큰당 nat)"},
    "training.pattern": {
        "en": "The chosen head on your sentence, at this step",
        "ko": "고른 헤드를 내 문장에, 이 단계에서",
    },
    "training.all_heads": {"en": "All heads at this step", "ko": "이 단계의 모든 헤드"},
    "training.metrics": {
        "en": "Head metrics through training (held-out text)",
        "ko": "학습 동안의 헤드 지표 (검증 텍스트)",
    },
    "training.metric.to_previous": {
        "en": "Attention to the previous token",
        "ko": "이전 토큰으로 가는 어텐션",
    },
    "training.metric.induction": {
        "en": "Induction score (repeated random tokens)",
        "ko": "귀납 점수 (반복된 무작위 토큰)",
    },
    "training.metric.normalized_entropy": {
        "en": "Normalized entropy (1 = uniform)",
        "ko": "정규화 엔트로피 (1 = 균등)",
    },
    "training.metric.to_self": {"en": "Attention to the token itself", "ko": "자기 자신으로 가는 어텐션"},
    "training.uniform": {"en": "uniform causal attention", "ko": "균등한 인과 어텐션"},
    "training.findings": {"en": "What emerged, and what did not", "ko": "생겨난 것과 생겨나지 않은 것"},
    "training.findings.previous": {
        "en": "**Emerged: a previous-token head.** Layer {layer}, head {head} puts {share:.3f} of its attention on the token just before (uniform causal attention would put {uniform:.3f} there: {times:.1f}×). It rose from chance during training; see the first chart below.",
        "ko": "**생겨남: 이전 토큰 헤드.** {layer}층 {head}번 헤드는 어텐션의 {share:.3f}를 바로 앞 토큰에 둡니다 (균등한 인과 어텐션이라면 {uniform:.3f}: {times:.1f}배). 학습하는 동안 우연 수준에서 올라왔습니다. 아래 첫 번째 그래프를 보세요.",
    },
    "training.findings.induction": {
        "en": "**Did not emerge: induction heads.** On random token sequences shown twice, the best induction score is {induction:.3f} (an induction head scores close to 1), and the model predicts the repeated half no better than the first ({repeat:.2f} vs {first:.2f} nats per token). A model this small, trained this briefly, does not learn to copy from context.",
        "ko": "**생겨나지 않음: 귀납 헤드.** 무작위 토큰 열을 두 번 보여 줄 때 가장 높은 귀납 점수는 {induction:.3f}입니다 (귀납 헤드라면 1에 가깝습니다). 모델은 반복된 뒷부분을 앞부분보다 더 잘 예측하지 못합니다 (토큰당 {repeat:.2f} 대 {first:.2f} nat). 이만큼 작고 짧게 학습한 모델은 문맥에서 베끼는 법을 배우지 못합니다.",
    },
    "training.findings.induction_formed": {
        "en": "**Emerged: an induction head.** Layer {layer}, head {head} scores {score:.2f} on random token sequences shown twice (an induction head scores close to 1, other heads close to 0). With it the model predicts the repeated half of a random sequence at {repeat:.2f} nats per token instead of {first:.2f}, and the second copy of a held-out sentence at {en_repeat:.2f} instead of {en_first:.2f} (English) and {ko_repeat:.2f} instead of {ko_first:.2f} (Korean).",
        "ko": "**생겨남: 귀납 헤드.** {layer}층 {head}번 헤드는 두 번 보여 준 무작위 토큰 열에서 귀납 점수 {score:.2f}를 얻습니다 (귀납 헤드는 1에, 다른 헤드는 0에 가깝습니다). 이 헤드 덕분에 모델은 무작위 열의 반복된 뒷부분을 토큰당 {first:.2f}가 아니라 {repeat:.2f} nat로 예측하고, 검증 문장을 두 번째로 볼 때는 영어 {en_first:.2f} → {en_repeat:.2f}, 한국어 {ko_first:.2f} → {ko_repeat:.2f} nat로 예측합니다.",
    },
    "training.phase": {
        "en": "The phase change: an induction head forms",
        "ko": "상전이: 귀납 헤드가 생겨나는 순간",
    },
    "training.phase.intro": {
        "en": "An **induction head** completes patterns: when the current token appeared before, it attends to the token that came right after that earlier occurrence and copies it (… A B … A → B). It works with a **previous-token head** in the layer below, which writes into every position which token came just before it. Such heads appear suddenly: the best induction score stays near {before:.2f} until step {start:,}, climbs steeply until step {end:,} (the shaded band) and ends training at {after:.2f}; at the same time the loss on the repeat of a random sequence falls far below the loss on its first copy. Snapshots are placed densely around this moment: move the slider through the band.",
        "ko": "**귀납 헤드**는 패턴을 완성합니다. 지금 토큰이 앞에서 나온 적이 있으면, 그때 바로 뒤에 왔던 토큰에 주의를 기울여 그것을 베낍니다 (… A B … A → B). 아래층의 **이전 토큰 헤드**와 함께 일하는데, 이전 토큰 헤드는 각 위치에 바로 앞 토큰이 무엇이었는지를 적어 둡니다. 이런 헤드는 갑자기 나타납니다. 가장 높은 귀납 점수는 {start:,}단계까지 {before:.2f} 근처에 머물다가 {end:,}단계까지 가파르게 오르고 (색칠한 띠) 학습이 끝날 때 {after:.2f}가 됩니다. 같은 때 무작위 열의 반복 부분에 대한 손실이 첫 부분의 손실보다 훨씬 낮아집니다. 이 순간 주위에 스냅숏을 촘촘히 두었습니다. 슬라이더를 띠 안으로 움직여 보세요.",
    },
    "training.legend.phase": {"en": "phase change", "ko": "상전이"},
    "training.legend.score": {"en": "best induction score", "ko": "가장 높은 귀납 점수"},
    "training.legend.first": {"en": "loss, first copy", "ko": "손실, 첫 부분"},
    "training.legend.repeat": {"en": "loss, repeat", "ko": "손실, 반복 부분"},
    "training.copy": {
        "en": "The induction head on your sentence, written twice",
        "ko": "내 문장을 두 번 쓴 것에 대한 귀납 헤드",
    },
    "training.copy.caption": {
        "en": "Your sentence followed by itself, as layer {layer}, head {head} sees it at this step. In the second copy each token looks at the token that came right after the same token in the first copy: a stripe one step to the right of the diagonal of the lower-left block. Before the phase change the stripe is not there; after it, the model copies.",
        "ko": "내 문장 뒤에 같은 문장을 한 번 더 붙여, {layer}층 {head}번 헤드가 이 단계에서 보는 모습입니다. 두 번째 문장의 각 토큰은 첫 번째 문장에서 같은 토큰 바로 뒤에 왔던 토큰을 봅니다. 그래서 왼쪽 아래 블록의 대각선보다 한 칸 오른쪽에 줄무늬가 생깁니다. 상전이 전에는 줄무늬가 없고, 그 뒤에는 모델이 베낍니다.",
    },
    # --- self-attention page ---
    "self.intro": {
        "en": "In self-attention a sentence attends over itself: queries, keys and values all come from the "
        "same tokens, so any token can draw on any other, however far apart. Follow one head step by step.",
        "ko": "셀프 어텐션에서는 문장이 자기 자신에게 주의를 기울입니다. 쿼리, 키, 값이 모두 같은 토큰에서 "
        "나오므로, 멀리 떨어진 토큰끼리도 서로 정보를 가져올 수 있습니다. 한 헤드를 단계별로 따라가 보세요.",
    },
    "self.head": {"en": "Head", "ko": "헤드"},
    "self.step1": {"en": "Token vectors X", "ko": "토큰 벡터 X"},
    "self.step2": {"en": "Queries, keys and values", "ko": "쿼리, 키, 값"},
    "self.step3": {"en": "Scores: every query against every key", "ko": "점수: 모든 쿼리와 모든 키"},
    "self.step3.caption": {
        "en": "Hover a cell to see which q·k it is.",
        "ko": "셀에 마우스를 올리면 어떤 q·k인지 보입니다.",
    },
    "self.step4": {"en": "Scale by √d_k", "ko": "√d_k로 나누기"},
    "self.step4.caption": {
        "en": "Dividing by √d_k = {sqrt_d_k:.3f} keeps the scores from growing with the width d_k.",
        "ko": "√d_k = {sqrt_d_k:.3f}로 나누어 점수가 폭 d_k에 따라 커지지 않게 합니다.",
    },
    "self.step5": {"en": "Mask", "ko": "마스크"},
    "self.step5.causal": {
        "en": "Causal: a token may not look at later tokens; those cells become −∞ (blank).",
        "ko": "인과 마스크: 토큰은 뒤의 토큰을 볼 수 없습니다. 그 칸은 −∞ (빈칸)가 됩니다.",
    },
    "self.step5.none": {
        "en": "No mask: every token may look at every token (turn on the causal mask in the settings).",
        "ko": "마스크 없음: 모든 토큰이 모든 토큰을 볼 수 있습니다 (설정에서 인과 마스크를 켜 보세요).",
    },
    "self.step6": {
        "en": "Softmax: each row becomes weights that sum to 1",
        "ko": "소프트맥스: 각 행이 합이 1인 가중치로",
    },
    "self.step7": {"en": "Weighted sum of the values: Z", "ko": "값의 가중합: Z"},
    "self.row": {"en": "One row, number by number", "ko": "한 행을 숫자 하나하나"},
    "self.row.query": {"en": "Query token", "ko": "쿼리 토큰"},
    "self.row.caption": {
        "en": "Query {query}: its dot product with every key, scaled, exponentiated after subtracting the "
        "row maximum ({top:.4f}), and divided by their sum ({total:.4f}).",
        "ko": "쿼리 {query}: 모든 키와의 내적을 나누고, 행 최댓값({top:.4f})을 뺀 뒤 지수를 취하고, 그 합"
        "({total:.4f})으로 나눕니다.",
    },
    "self.row.masked": {"en": "masked", "ko": "가려짐"},
    # --- multi-head page ---
    "multi.intro": {
        "en": "Multi-head attention runs several attention heads side by side, each with its own W_Q, W_K and "
        "W_V, so each head can look for something different. Their outputs are concatenated and projected "
        "back to d_model by W_O.",
        "ko": "멀티헤드 어텐션은 여러 어텐션 헤드를 나란히 돌립니다. 헤드마다 자신만의 W_Q, W_K, W_V가 있어 "
        "서로 다른 것을 찾을 수 있습니다. 헤드들의 출력을 이어 붙인 뒤 W_O로 다시 d_model 크기로 투영합니다.",
    },
    "multi.seed": {"en": "Load the seed example", "ko": "원문 예제 불러오기"},
    "multi.seed.about": {"en": "About the seed example", "ko": "원문 예제에 대하여"},
    "multi.seed.help": {
        "en": "2 tokens, d_model 4, 3 heads, d_v 8: concat 2×24, W_O 24×4, out 2×4.",
        "ko": "토큰 2개, d_model 4, 헤드 3개, d_v 8: concat 2×24, W_O 24×4, out 2×4.",
    },
    "multi.seed.explain": {
        "en": "**A worked example of the dimensions.** Two tokens (“I am”), token vectors of width d_model = 4, "
        "three heads. Each head turns the 2 tokens into a 2 × 8 matrix Z (here every head has width d_v = 8). "
        "The three Z side by side make concat, 2 × 24 (3 heads × 8 = 24 columns). W_O, 24 × 4, projects that "
        "back to 2 × 4: one vector of width 4 per token again, as it came in. In short: "
        "2 × 24 · 24 × 4 = 2 × 4. Usually d_v = d_model ÷ n_heads, so that concat is exactly d_model wide; "
        "4 is not divisible by 3, so this example sets d_v = 8 (and d_k = 8) itself, and W_O does the "
        "resizing. The step “concat · W_O” below shows every number.",
        "ko": "**크기를 따라가 보는 예제.** 토큰 2개(“I am”), 폭 d_model = 4인 토큰 벡터, 헤드 3개. 각 헤드는 "
        "토큰 2개를 2 × 8 행렬 Z로 바꿉니다 (여기서 헤드마다 폭 d_v = 8). Z 셋을 나란히 붙이면 concat, 2 × 24 "
        "(헤드 3개 × 8 = 24열). 24 × 4인 W_O가 이것을 다시 2 × 4로 투영합니다: 들어올 때처럼 토큰마다 폭 4인 "
        "벡터 하나. 한 줄로: 2 × 24 · 24 × 4 = 2 × 4. 보통은 d_v = d_model ÷ n_heads로 정해 concat의 폭이 "
        "정확히 d_model이 되지만, 4는 3으로 나누어떨어지지 않으므로 이 예제는 d_v = 8 (d_k = 8)을 직접 정하고, "
        "크기 맞추기는 W_O가 맡습니다. 아래 “concat · W_O” 단계에서 모든 숫자를 볼 수 있습니다.",
    },
    "multi.patterns": {"en": "One heatmap per head", "ko": "헤드마다 하나의 히트맵"},
    "multi.qkv": {"en": "Each head's Q, K and V", "ko": "헤드별 Q, K, V"},
    "multi.qkv.caption": {
        "en": "Every head projects the same X with its own weights: Q_h = X·W_Q[h] [{n} × {d_k}], "
        "K_h [{n} × {d_k}], V_h [{n} × {d_v}].",
        "ko": "모든 헤드가 같은 X를 자신의 가중치로 투영합니다: Q_h = X·W_Q[h] [{n} × {d_k}], "
        "K_h [{n} × {d_k}], V_h [{n} × {d_v}].",
    },
    "multi.flow": {"en": "Concat, then project with W_O", "ko": "이어 붙이고 W_O로 투영"},
    "multi.flow.dims": {
        "en": "{h} heads × Z_h [{n} × {d_v}] → concat [{n} × {hd}] · W_O [{hd} × {d_model}] = out [{n} × {d_model}]",
        "ko": "헤드 {h}개 × Z_h [{n} × {d_v}] → concat [{n} × {hd}] · W_O [{hd} × {d_model}] = out [{n} × {d_model}]",
    },
    "multi.flow.caption": {
        "en": "Black lines separate the heads: the columns of concat and the rows of W_O that belong to one head.",
        "ko": "검은 선은 헤드의 경계입니다: 한 헤드에 속하는 concat의 열과 W_O의 행.",
    },
    # --- the guided lesson (/lesson, and the offline lesson file) ---
    "nav.lesson": {"en": "Lesson", "ko": "수업"},
    "nav.lesson.help": {
        "en": "A guided lesson, one question per step: predict, then reveal.",
        "ko": "단계마다 질문이 있는 수업: 먼저 예측하고, 그다음 확인합니다.",
    },
    "lesson.intro": {
        "en": "Six steps, from attention to a trained model's heads. Each asks a question: answer first, "
        "then press **Reveal**. The answer is computed from your sentence's numbers, not written in advance.",
        "ko": "어텐션에서 학습된 모델의 헤드까지 여섯 단계입니다. 단계마다 질문이 있습니다: 먼저 답하고 "
        "**정답 보기**를 누르세요. 정답은 미리 적어 둔 것이 아니라 내 문장의 숫자로 계산됩니다.",
    },
    "lesson.pick": {"en": "Your answer", "ko": "내 답"},
    "lesson.reveal": {"en": "Reveal", "ko": "정답 보기"},
    "lesson.right": {"en": "Right!", "ko": "맞았습니다!"},
    "lesson.wrong": {
        "en": "Not this time: the answer is {answer}.",
        "ko": "아쉽습니다: 정답은 {answer}입니다.",
    },
    "lesson.pick_first": {
        "en": "Pick an answer first: the figures that show it come after.",
        "ko": "먼저 답을 고르세요: 정답을 보여 주는 그림은 그 뒤에 나옵니다.",
    },
    "lesson.again": {"en": "Ask again", "ko": "다시 풀기"},
    "lesson.attention.tab": {"en": "Attention", "ko": "어텐션"},
    "lesson.attention.title": {
        "en": "Attention: a query looks over keys and values",
        "ko": "어텐션: 쿼리가 키와 값을 훑어봅니다",
    },
    "lesson.attention.text": {
        "en": "Each token of your sentence asks a **query** (Q). The tokens of a second sentence, {source}, "
        "offer **keys** (K) to be matched and **values** (V) to be mixed. A query's weights over the keys are "
        "softmax(q · k / √d_k); its output is the weighted sum of the values.",
        "ko": "내 문장의 각 토큰이 **쿼리**(Q)를 묻습니다. 두 번째 문장 {source}의 토큰들은 맞춰 볼 **키**(K)와 "
        "섞을 **값**(V)을 내놓습니다. 쿼리가 키들에 주는 가중치는 softmax(q · k / √d_k)이고, 출력은 값들의 "
        "가중합입니다.",
    },
    "lesson.attention.q": {
        "en": "Which token of the second sentence will {query} attend to most in head {head}?",
        "ko": "헤드 {head}에서 {query}는 두 번째 문장의 어느 토큰에 가장 주의를 기울일까요?",
    },
    "lesson.attention.a": {
        "en": "{query} gives {weight:.0%} of its attention to {target}.",
        "ko": "{query}는 주의의 {weight:.0%}를 {target}에 줍니다.",
    },
    "lesson.self.tab": {"en": "Self-attention", "ko": "셀프 어텐션"},
    "lesson.self.title": {
        "en": "Self-attention: a sentence looks at itself",
        "ko": "셀프 어텐션: 문장이 자기 자신을 봅니다",
    },
    "lesson.self.text": {
        "en": "Now queries, keys and values all come from the same sentence: every token attends over every "
        "token, however far apart. That is how a pronoun such as “it” can reach back to “animal”.",
        "ko": "이제 쿼리, 키, 값이 모두 같은 문장에서 나옵니다: 모든 토큰이 거리와 상관없이 모든 토큰에 주의를 "
        "기울입니다. “it” 같은 대명사가 멀리 있는 “animal”에 닿을 수 있는 이유입니다.",
    },
    "lesson.self.q": {
        "en": "Which token will {query} attend to most in head {head}?",
        "ko": "헤드 {head}에서 {query}는 어느 토큰에 가장 주의를 기울일까요?",
    },
    "lesson.self.a": {
        "en": "{query} gives {weight:.0%} of its attention to {target}. (These weights are random: a trained "
        "model's heads come in step 6.)",
        "ko": "{query}는 주의의 {weight:.0%}를 {target}에 줍니다. (이 가중치는 무작위입니다: 학습된 모델의 헤드는 "
        "6단계에서 봅니다.)",
    },
    "lesson.temperature.tab": {"en": "Temperature", "ko": "온도"},
    "lesson.temperature.title": {
        "en": "Temperature: sharper or flatter?",
        "ko": "온도: 더 뾰족하게, 더 평평하게?",
    },
    "lesson.temperature.text": {
        "en": "Before the softmax the scores are divided by √d_k and by a temperature τ. How peaked a row is "
        "shows in its **entropy**: 0 bits when all the weight is on one key, more as it spreads out.",
        "ko": "softmax 전에 점수를 √d_k와 온도 τ로 나눕니다. 한 행이 얼마나 뾰족한지는 **엔트로피**로 "
        "나타납니다: 가중치가 키 하나에 모이면 0비트, 퍼질수록 커집니다.",
    },
    "lesson.temperature.q": {
        "en": "The temperature goes up from {cool:g} to {hot:g}. What happens to the patterns?",
        "ko": "온도가 {cool:g}에서 {hot:g}로 올라갑니다. 패턴은 어떻게 될까요?",
    },
    "lesson.temperature.a": {
        "en": "Mean entropy of the rows: {h_cool:.2f} bits at τ = {cool:g}, {h_hot:.2f} bits at τ = {hot:g}.",
        "ko": "행의 평균 엔트로피: τ = {cool:g}에서 {h_cool:.2f}비트, τ = {hot:g}에서 {h_hot:.2f}비트.",
    },
    "lesson.sharper": {
        "en": "Sharper: fewer keys get the weight",
        "ko": "더 뾰족해진다: 더 적은 키가 가중치를 받는다",
    },
    "lesson.flatter": {"en": "Flatter: the weight spreads out", "ko": "더 평평해진다: 가중치가 퍼진다"},
    "lesson.same": {"en": "Unchanged", "ko": "변하지 않는다"},
    "lesson.multi.tab": {"en": "Multi-head", "ko": "멀티헤드"},
    "lesson.multi.title": {
        "en": "Multi-head attention: several heads, then concat and W_O",
        "ko": "멀티헤드 어텐션: 여러 헤드, 이어 붙이기, 그리고 W_O",
    },
    "lesson.multi.text": {
        "en": "Each head has its own W_Q, W_K and W_V, so each can look for something different. Head h "
        "outputs Z_h [n × d_v]; the heads are put side by side (**concat**) and **W_O** projects the result "
        "back to d_model.",
        "ko": "헤드마다 자기 W_Q, W_K, W_V가 있어서 저마다 다른 것을 찾을 수 있습니다. 헤드 h는 Z_h [n × d_v]를 "
        "내놓고, 헤드들을 나란히 이어 붙인 뒤(**concat**) **W_O**가 결과를 d_model로 되돌립니다.",
    },
    "lesson.multi.q": {
        "en": "{h} heads, {n} tokens, d_v = {d_v}. What shape will concat have?",
        "ko": "헤드 {h}개, 토큰 {n}개, d_v = {d_v}. concat의 크기는 얼마일까요?",
    },
    "lesson.multi.a": {
        "en": "concat is {shape}: the {h} heads' outputs of [{n} × {d_v}] side by side.",
        "ko": "concat은 {shape}입니다: 헤드 {h}개의 [{n} × {d_v}] 출력을 나란히 붙인 것.",
    },
    "lesson.dimensions.tab": {"en": "2 × 24 · 24 × 4", "ko": "2 × 24 · 24 × 4"},
    "lesson.dimensions.title": {
        "en": "The dimension example: 2 tokens, d_model 4, 3 heads",
        "ko": "차원 예제: 토큰 2개, d_model 4, 헤드 3개",
    },
    "lesson.dimensions.text": {
        "en": "The source text's example. 4 cannot be split evenly over 3 heads, so here each head has "
        "d_v = 8 and outputs [2 × 8]; the three side by side make concat [2 × 24].",
        "ko": "원문의 예제입니다. 4는 헤드 3개로 똑같이 나눌 수 없어서 여기서는 헤드마다 d_v = 8이고 [2 × 8]을 "
        "내놓습니다. 셋을 나란히 붙이면 concat은 [2 × 24]입니다.",
    },
    "lesson.dimensions.q": {
        "en": "concat is [{n} × {hd}] and out must be [{n} × {d_model}]. What shape is W_O?",
        "ko": "concat은 [{n} × {hd}]이고 out은 [{n} × {d_model}]이어야 합니다. W_O의 크기는?",
    },
    "lesson.dimensions.a": {
        "en": "W_O is {shape}: concat [{n} × {hd}] · W_O {shape} = out {out}.",
        "ko": "W_O는 {shape}입니다: concat [{n} × {hd}] · W_O {shape} = out {out}.",
    },
    "lesson.real.tab": {"en": "Real heads", "ko": "실제 헤드"},
    "lesson.real.title": {"en": "Real heads: a trained model", "ko": "실제 헤드: 학습된 모델"},
    "lesson.real.text": {
        "en": "The teaching layer's weights are random. {model} learned its weights from text. Of all its "
        "heads, this is the one where {query} looks furthest back: layer {layer}, head {head}.",
        "ko": "교육용 층의 가중치는 무작위입니다. {model}은 글에서 가중치를 배웠습니다. 그 모든 헤드 중에서 "
        "{query}가 가장 멀리 뒤를 보는 헤드입니다: {layer}층, 헤드 {head}.",
    },
    "lesson.real.q": {
        "en": "Which token will {query} attend to most in layer {layer}, head {head}?",
        "ko": "{layer}층 헤드 {head}에서 {query}는 어느 토큰에 가장 주의를 기울일까요?",
    },
    "lesson.real.a": {
        "en": "{query} gives {weight:.0%} of its attention to {target}. Explore the other heads in the model explorer.",
        "ko": "{query}는 주의의 {weight:.0%}를 {target}에 줍니다. 다른 헤드는 모델 탐색기에서 살펴보세요.",
    },
    "lesson.file.title": {"en": "Attention Explorer — a lesson", "ko": "어텐션 익스플로러 — 수업"},
    "lesson.file.about": {
        "en": "Sentence: {sentence} · trained model: {model}. This file works offline: the figures are "
        "interactive (hover for the numbers).",
        "ko": "문장: {sentence} · 학습된 모델: {model}. 이 파일은 인터넷 없이 열립니다: 그림은 상호작용합니다 "
        "(숫자는 마우스를 올려 보세요).",
    },
    "lesson.download": {"en": "Lesson as an HTML file", "ko": "수업 HTML 파일"},
    "lesson.download.help": {
        "en": "The whole lesson on this sentence, in one file that opens by double-click, without a server "
        "or the internet. Printing it gives every step with its answer.",
        "ko": "이 문장으로 만든 수업 전체를 파일 하나로: 서버나 인터넷 없이 더블클릭으로 열립니다. 인쇄하면 "
        "모든 단계가 정답과 함께 나옵니다.",
    },
    # --- presentation mode and colours ---
    "present.toggle": {"en": "Presentation mode", "ko": "발표 모드"},
    "present.toggle.help": {
        "en": "For a projector: no sidebar, large type, one step per screen (← → keys). In the link: present=1.",
        "ko": "프로젝터용: 사이드바 없음, 큰 글씨, 화면마다 한 단계 (← → 키). 링크에서는 present=1.",
    },
    # --- what heads do (/interventions) ---
    "nav.interventions": {"en": "What heads do", "ko": "헤드가 하는 일"},
    "nav.interventions.help": {
        "en": "Switch heads off, block one token from another, and see the prediction change; rollout, flow "
        "and four attributions side by side.",
        "ko": "헤드를 끄고, 한 토큰이 다른 토큰을 못 보게 막고, 예측이 바뀌는 것을 봅니다. 롤아웃, 플로, 네 가지 "
        "기여도를 나란히.",
    },
    "effects.intro": {
        "en": "Where a head looks is not what it does. Here you change the model and watch its output: what a "
        "language model predicts next, or the sentence embedding an encoder exists for.",
        "ko": "헤드가 어디를 보는지와 무엇을 하는지는 다릅니다. 여기서는 모델을 바꾸고 출력을 봅니다: 언어 모델이 "
        "다음에 올 토큰으로 예측하는 것, 또는 인코더가 만드는 문장 임베딩.",
    },
    "effects.view": {"en": "What to do", "ko": "할 일"},
    "effects.view.ablate": {"en": "Switch heads off", "ko": "헤드 끄기"},
    "effects.view.rank": {"en": "Rank every head", "ko": "모든 헤드 순위"},
    "effects.view.knockout": {"en": "Block one link", "ko": "연결 하나 막기"},
    "effects.view.rollout": {"en": "Rollout and flow", "ko": "롤아웃과 플로"},
    "effects.view.attribution": {"en": "Attribution", "ko": "기여도"},
    "effects.position": {"en": "Prediction after token", "ko": "이 토큰 다음의 예측"},
    "effects.heads": {"en": "Heads to switch off (layer.head)", "ko": "끌 헤드 (층.헤드)"},
    "effects.mean": {"en": "Mean-ablation (instead of zero)", "ko": "평균 대체 (0 대신)"},
    "effects.mean.help": {
        "en": "Zero-ablation sets the head's output z to 0. Mean-ablation replaces it by its mean over a fixed "
        "reference text, a gentler change.",
        "ko": "0 대체는 헤드의 출력 z를 0으로 둡니다. 평균 대체는 정해진 참조 글에서의 평균으로 바꿉니다 (더 "
        "부드러운 변화).",
    },
    "effects.pick_heads": {
        "en": "Pick one or more heads to switch off, or rank every head to find the ones that matter.",
        "ko": "끌 헤드를 하나 이상 고르거나, 모든 헤드의 순위를 매겨 중요한 헤드를 찾으세요.",
    },
    "effects.kl": {"en": "Change of the prediction (KL, nats)", "ko": "예측의 변화 (KL, nat)"},
    "effects.cos": {"en": "Change of the embedding (1 − cos)", "ko": "임베딩의 변화 (1 − cos)"},
    "effects.top": {
        "en": "The 10 most likely next tokens, before and after",
        "ko": "다음 토큰 상위 10개, 전과 후",
    },
    "effects.token": {"en": "Token", "ko": "토큰"},
    "effects.before": {"en": "before", "ko": "전"},
    "effects.after": {"en": "after", "ko": "후"},
    "effects.delta": {"en": "Δ", "ko": "Δ"},
    "effects.logprob": {
        "en": "How surprised the model is by each token of the sentence: log p(token | before it)",
        "ko": "문장의 각 토큰에 모델이 얼마나 놀라는지: log p(토큰 | 앞부분)",
    },
    "effects.logprob.delta": {"en": "Δ log p per token (after − before)", "ko": "토큰별 Δ log p (후 − 전)"},
    "effects.other": {"en": "Second sentence (for the cosine)", "ko": "두 번째 문장 (코사인용)"},
    "effects.cosine": {
        "en": "Cosine similarity of the two sentences' embeddings: {before:.4f} before, {after:.4f} with the "
        "heads off.",
        "ko": "두 문장 임베딩의 코사인 유사도: 전 {before:.4f}, 헤드를 끈 뒤 {after:.4f}.",
    },
    "effects.changed": {
        "en": "How much every head's pattern changed (|after − before|, darker = more; earlier layers cannot "
        "change)",
        "ko": "헤드마다 패턴이 바뀐 정도 (|후 − 전|, 진할수록 많이; 앞쪽 층은 바뀔 수 없습니다)",
    },
    "effects.rank.caption": {
        "en": "Each head switched off alone, its effect on the output: {measure}. Pick a row to switch that "
        "head off.",
        "ko": "헤드를 하나씩 끄고 출력에 준 영향: {measure}. 행을 고르면 그 헤드를 끕니다.",
    },
    "effects.rank.map": {"en": "Effect of switching each head off", "ko": "헤드마다 껐을 때의 영향"},
    "effects.rank.effect": {"en": "effect", "ko": "영향"},
    "effects.knock.query": {"en": "Query token (blocked from looking)", "ko": "쿼리 토큰 (보지 못하게)"},
    "effects.knock.key": {"en": "Key token (hidden from it)", "ko": "키 토큰 (가려질 토큰)"},
    "effects.knock.scope": {"en": "Where", "ko": "범위"},
    "effects.knock.all": {"en": "every layer", "ko": "모든 층"},
    "effects.knock.layer": {"en": "this layer", "ko": "이 층"},
    "effects.knock.head": {"en": "this head", "ko": "이 헤드"},
    "effects.rollout.caption": {
        "en": "What each output position draws on, through the whole model. Raw attention: the last layer's "
        "heads averaged. Rollout: every layer's averaged attention (with the residual path) multiplied "
        "through. Flow: the most attention that can flow from an output to an input through all layers "
        "(Abnar & Zuidema, 2020).",
        "ko": "각 출력 위치가 모델 전체를 거쳐 무엇에 기대는지. 원래 어텐션: 마지막 층 헤드의 평균. 롤아웃: 층마다 "
        "평균한 어텐션(잔차 경로 포함)을 곱해 나간 것. 플로: 모든 층을 거쳐 출력에서 입력으로 흐를 수 있는 "
        "최대 어텐션 (Abnar & Zuidema, 2020).",
    },
    "effects.raw": {"en": "Raw attention (last layer)", "ko": "원래 어텐션 (마지막 층)"},
    "effects.rollout": {"en": "Rollout", "ko": "롤아웃"},
    "effects.flow": {"en": "Flow", "ko": "플로"},
    "effects.attr.caption": {
        "en": "Which input tokens the output {target} = {value:.3f} depends on, four ways. Bars are |score| "
        "divided by each method's largest, so the four can be compared.",
        "ko": "출력 {target} = {value:.3f}이 어떤 입력 토큰에 기대는지, 네 가지 방법으로. 막대는 |점수|를 방법마다 "
        "가장 큰 값으로 나눈 것이라 넷을 비교할 수 있습니다.",
    },
    "effects.attr.target.lm": {
        "en": "(the logit of the most likely next token)",
        "ko": "(가장 그럴듯한 다음 토큰의 로짓)",
    },
    "effects.attr.target.encoder": {
        "en": "(the cosine of the sentence embedding to itself)",
        "ko": "(문장 임베딩과 자기 자신의 코사인)",
    },
    "effects.method.raw_attention": {"en": "Raw attention (last layer)", "ko": "원래 어텐션 (마지막 층)"},
    "effects.method.rollout": {"en": "Rollout", "ko": "롤아웃"},
    "effects.method.occlusion": {"en": "Occlusion (drop the token)", "ko": "가리기 (토큰 빼기)"},
    "effects.method.gradient_x_input": {"en": "Gradient × input", "ko": "기울기 × 입력"},
    "effects.attr.agreement": {
        "en": "How far the methods agree: Spearman rank correlation of their scores",
        "ko": "방법들이 얼마나 일치하는지: 점수의 스피어만 순위 상관",
    },
    "effects.attr.pair": {"en": "methods", "ko": "방법"},
    "effects.attr.missing": {
        "en": "{method}: not available here ({reason})",
        "ko": "{method}: 여기서는 안 됩니다 ({reason})",
    },
    "effects.caveat": {
        "en": "**What attention weights can and cannot tell.** A large weight says where a head *reads* from, "
        "not that the output *depends* on that token: other heads, the MLPs and the residual stream carry "
        "information too, and different weights can give the same output (Jain & Wallace, 2019). Whether "
        "attention explains a prediction has to be tested, e.g. by switching heads off or occluding tokens, "
        "as on this page (Wiegreffe & Pinter, 2019). Where the four methods disagree, trust the ones that "
        "change the input or the model.",
        "ko": "**어텐션 가중치가 말해 주는 것과 말해 주지 못하는 것.** 큰 가중치는 헤드가 어디서 *읽는지*를 "
        "말할 뿐, 출력이 그 토큰에 *기댄다*는 뜻은 아닙니다: 다른 헤드, MLP, 잔차 흐름도 정보를 나르고, 서로 "
        "다른 가중치가 같은 출력을 낼 수도 있습니다 (Jain & Wallace, 2019). 어텐션이 예측을 설명하는지는 이 "
        "페이지처럼 헤드를 끄거나 토큰을 가려 보며 시험해야 합니다 (Wiegreffe & Pinter, 2019). 네 방법이 다르게 "
        "말하면, 입력이나 모델을 실제로 바꿔 본 방법을 믿으세요.",
    },
    "effects.refused": {"en": "Not computed", "ko": "계산하지 않았습니다"},
    # --- comparing two sentences (model explorer) ---
    "explorer.view.compare": {"en": "Compare two sentences", "ko": "두 문장 비교"},
    "compare.sentence2": {"en": "Second sentence", "ko": "두 번째 문장"},
    "compare.caption": {
        "en": "The same head on both sentences, side by side; below, the difference where the tokens pair up "
        "(first − second), and how much every head of the model changes.",
        "ko": "같은 헤드를 두 문장에 나란히 봅니다. 아래는 토큰이 짝지어지는 곳의 차이(첫 문장 − 두 번째 문장)와 "
        "모델의 모든 헤드가 얼마나 바뀌는지입니다.",
    },
    "compare.first": {"en": "First sentence", "ko": "첫 문장"},
    "compare.second": {"en": "Second sentence", "ko": "두 번째 문장"},
    "compare.difference": {
        "en": "Difference where the tokens pair up: first − second ({n} tokens paired)",
        "ko": "토큰이 짝지어지는 곳의 차이: 첫 문장 − 두 번째 문장 (토큰 {n}개 짝지음)",
    },
    "compare.heads": {
        "en": "How much each head changes: mean |difference| over the paired tokens",
        "ko": "헤드마다 바뀐 정도: 짝지은 토큰에서 |차이|의 평균",
    },
    "compare.most": {
        "en": "The head that changes most is layer {layer}, head {head} (mean |difference| {value:.3f}).",
        "ko": "가장 많이 바뀌는 헤드는 {layer}층 헤드 {head}입니다 (|차이|의 평균 {value:.3f}).",
    },
    "compare.nothing_paired": {
        "en": "The two sentences share no token, so there is nothing to pair.",
        "ko": "두 문장에 같은 토큰이 없어서 짝지을 것이 없습니다.",
    },
    "present.about": {"en": "About this page", "ko": "이 페이지에 대해"},
    "present.leave": {"en": "Leave presentation mode", "ko": "발표 모드 끝내기"},
    "palette.label": {"en": "Colours", "ko": "색"},
    "palette.standard": {"en": "Standard", "ko": "기본"},
    "palette.colourblind": {"en": "Colour-blind safe", "ko": "색각 이상 친화"},
    "palette.help": {
        "en": "Colour-blind safe: cividis for weights, blue–orange for signed values, Okabe–Ito colours for "
        "lines and roles. Signs are also in the numbers table.",
        "ko": "색각 이상 친화: 가중치는 cividis, 부호 있는 값은 파랑–주황, 선과 역할은 Okabe–Ito 색. 부호는 "
        "숫자 표에서도 볼 수 있습니다.",
    },
}
