"""Head atlas: what each head of a model does, on one sentence or averaged over built-in sentences."""

from __future__ import annotations

from attention_core.heads import HeadMetrics, average_metrics, head_metrics
from attention_core.models.base import Model
from attention_core.models.trace import ModelTrace

# Everyday English and Korean, short and long, with punctuation, repeated words and a pronoun or two.
BUILTIN_SENTENCES = (
    "The animal didn't cross the street because it was too tired.",
    "The quick brown fox jumps over the lazy dog.",
    "She opened the window, and the cold morning air filled the small room.",
    "When the bell rang, the students closed their books and left the classroom.",
    "I think that the book you gave me last week is the best one I have read.",
    "The river bank was quiet after the storm passed over the town.",
    "고양이가 창가에서 잠을 잤다.",
    "나는 어제 친구와 함께 도서관에 가서 오래된 책을 읽었다.",
    "이 문서는 설정을 바꾸는 방법과 파일을 저장하는 방법을 설명합니다.",
    "비가 와서 우리는 집에서 영화를 보기로 했다.",
    "학생들은 선생님의 설명을 듣고, 각자 문제를 풀었다.",
    "Attention is all you need — 어텐션이 전부다!",
)


def sentence_metrics(trace: ModelTrace) -> HeadMetrics:
    """Every head's metrics on one forward pass: fields shaped [layer, head]."""
    return head_metrics(trace.pattern, trace.tokens, trace.mask)


def builtin_metrics(model: Model) -> HeadMetrics:
    """Every head's metrics averaged over BUILTIN_SENTENCES: fields shaped [layer, head]."""
    return average_metrics([sentence_metrics(model.run(model.tokenize(s))) for s in BUILTIN_SENTENCES])
