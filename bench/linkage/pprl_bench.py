"""Privacy-preserving linkage against clear text, on the cross-script set split in two sides.

Side A holds the records written by NGOs in Cyrillic and from passports, side B those in the
national Latin alphabets and by ear: two organisations that may not exchange names. Truth: the
A×B pairs of one person. Clear text: nrm's engine matching B against A (`find_matches`), A×B
pairs only. Encodings: `encode` on each side, `link_encodings` on the two files' contents.
"""

from __future__ import annotations

import time
from typing import Any

from bench.linkage.generator import Dataset
from bench.linkage.metrics import score, true_pairs


def run(dataset: Dataset, *, threshold: float) -> dict[str, Any]:
    from nrm.linkage.engine import find_matches
    from nrm.linkage.pprl import Encodings, encode, link_encodings, secret_from_text

    side_a = [r for r in dataset.records if r.source in {"cyrillic", "passport"}]
    side_b = [r for r in dataset.records if r.source not in {"cyrillic", "passport"}]
    in_a = {r.record_id for r in side_a}
    truth = {pair for pair in true_pairs(dataset.person_of)
             if len(pair & in_a) == 1}

    started = time.perf_counter()
    clear = find_matches(side_b, side_a, threshold=threshold)
    clear_seconds = time.perf_counter() - started
    clear_found = [(p.left_id, p.right_id) for p in clear
                   if (p.left_id in in_a) != (p.right_id in in_a)]
    clear_score = score(clear_found, truth)

    secret = secret_from_text("a passphrase both sides agreed on, never sent with the files")
    started = time.perf_counter()
    file_a = encode(side_a, secret).to_bytes()
    file_b = encode(side_b, secret).to_bytes()
    encode_seconds = time.perf_counter() - started
    started = time.perf_counter()
    result = link_encodings(Encodings.from_bytes(file_a), Encodings.from_bytes(file_b),
                            threshold=threshold)
    link_seconds = time.perf_counter() - started
    encoded_score = score([(a, b) for a, b, _p in result.pairs], truth)
    # Throughput on a workload worth timing: two million random pairs, every field compared.
    import numpy as np

    from nrm.linkage.pprl import compare

    encodings_a, encodings_b = Encodings.from_bytes(file_a), Encodings.from_bytes(file_b)
    rng = np.random.default_rng(6)
    left = rng.integers(0, len(encodings_a), 2_000_000)
    right = rng.integers(0, len(encodings_b), 2_000_000)
    started = time.perf_counter()
    compare(encodings_a, encodings_b, left, right)
    throughput = len(left) / (time.perf_counter() - started)
    persons_a = {dataset.person_of[r.record_id] for r in side_a}
    persons_b = {dataset.person_of[r.record_id] for r in side_b}
    return {
        "records_a": len(side_a), "records_b": len(side_b),
        "clear_text": clear_score.as_dict(), "clear_seconds": round(clear_seconds, 1),
        "encodings": encoded_score.as_dict(), "encode_seconds": round(encode_seconds, 1),
        "link_seconds": round(link_seconds, 1),
        "candidate_pairs": result.candidate_pairs,
        "comparisons_per_second": round(throughput),
        "comparisons_per_second_in_link": round(result.comparisons_per_second),
        "shared_persons_found": result.shared_persons,
        "shared_persons_true": len(persons_a & persons_b),
        "difference": round(clear_score.f1 - encoded_score.f1, 4),
        "_scores": (clear_score, encoded_score),
    }
