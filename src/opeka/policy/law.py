"""The statutory terms of 152-FZ that a policy may shorten but never lengthen.

Each entry is the law's maximum for one duty (``../shared/reference/law-152fz.md`` §1). A policy's
``deadlines`` section may set a shorter term for a key listed here; the lint refuses a longer one,
another unit, or a key the law does not know.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StatutoryTerm:
    """The law's maximum term for one duty."""

    days: int
    unit: str  # "working" or "calendar"
    article: str
    title_ru: str


STATUTORY_TERMS: dict[str, StatutoryTerm] = {
    "access": StatutoryTerm(10, "working", "ст. 14 ч. 3, ст. 20 ч. 1", "предоставление сведений"),
    "access_extension": StatutoryTerm(
        5, "working", "ст. 14 ч. 3, ст. 20 ч. 1", "продление срока ответа"
    ),
    "refusal": StatutoryTerm(10, "working", "ст. 20 ч. 2", "мотивированный отказ"),
    "rectification": StatutoryTerm(7, "working", "ст. 20 ч. 3, ст. 21 ч. 2", "уточнение"),
    "destroy_unlawfully_obtained": StatutoryTerm(
        7, "working", "ст. 20 ч. 3", "уничтожение незаконно полученных данных"
    ),
    "blocking": StatutoryTerm(0, "working", "ст. 21 ч. 1", "блокирование"),
    "unlawful_stop": StatutoryTerm(
        3, "working", "ст. 21 ч. 3", "прекращение неправомерной обработки"
    ),
    "unlawful_destroy": StatutoryTerm(
        10, "working", "ст. 21 ч. 3", "уничтожение при невозможности устранить нарушение"
    ),
    "purpose_achieved_destruction": StatutoryTerm(
        30, "calendar", "ст. 21 ч. 4", "уничтожение по достижении цели"
    ),
    "withdrawal_destruction": StatutoryTerm(
        30, "calendar", "ст. 21 ч. 5", "уничтожение после отзыва согласия"
    ),
    "stop_processing_demand": StatutoryTerm(
        10, "working", "ст. 21 ч. 5.1", "прекращение обработки по требованию"
    ),
    "stop_processing_extension": StatutoryTerm(
        5, "working", "ст. 21 ч. 5.1", "продление срока прекращения обработки"
    ),
    "rkn_request": StatutoryTerm(10, "working", "ст. 20 ч. 4", "ответ на запрос Роскомнадзора"),
}
