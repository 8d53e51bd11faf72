"""Scores Presidio's own recognizers give the PII samples, for docs/adr/0306-pii-scores-vs-presidio.md.

A one-off comparison, not part of the test suite and not a project dependency. Run it in a throwaway venv:
  python3 -m venv /tmp/presidio && /tmp/presidio/bin/pip install presidio-analyzer==2.2.366
  /tmp/presidio/bin/python presidio_scores.py pii_samples.json
The recognizers are called directly (no spaCy model needed): `presidio` is each entity's best pattern or
phonenumbers score after Presidio's validate/invalidate step; `presidioWithColumnContext` adds the column
name as context the way `BatchAnalyzerEngine.analyze_dict` does (the key is context), scored with the
enhancer's own matcher and constants. tldextract falls back to its bundled suffix list when offline.
"""
import json
import sys

from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    UsSsnRecognizer,
)

RECOGNIZERS = [EmailRecognizer(), CreditCardRecognizer(), IbanRecognizer(), UsSsnRecognizer(), IpRecognizer(), PhoneRecognizer()]
ENHANCER = LemmaContextAwareEnhancer()


def scores(column: str, text: str) -> dict:
    base: dict = {}
    with_context: dict = {}
    for recognizer in RECOGNIZERS:
        for result in recognizer.analyze(text, recognizer.supported_entities, None):
            if result.score <= 0:
                continue
            score = result.score
            base[result.entity_type] = max(base.get(result.entity_type, 0), score)
            if recognizer.context and ENHANCER._find_supportive_word_in_context([column.lower()], recognizer.context):
                score = min(1.0, max(score + ENHANCER.context_similarity_factor, ENHANCER.min_score_with_context_similarity))
            with_context[result.entity_type] = max(with_context.get(result.entity_type, 0), score)
    return {"presidio": base, "presidioWithColumnContext": with_context}


def main() -> None:
    samples = json.load(open(sys.argv[1]))
    print(json.dumps([{"column": c, "text": t, **scores(c, t)} for c, t in samples]))


if __name__ == "__main__":
    main()
