"""Linkage without sharing names: keyed Bloom filters on each side, compared on the encodings
alone.

Each organisation encodes its own records with a secret the two share (and nobody else has):
the normalised name parts (sound-alike skeletons, the family name in its masculine form, the
father's name) become Bloom filters whose bit positions come from HMAC-SHA256 of each letter
pair under that secret; birth date, sex and citizenship become keyed digests; blocking keys
(the same as the clear-text model's) become keyed digests too. Only these, with the records'
pseudonymous codes, leave the organisation. Without the secret, nobody can test a guessed name
against an encoding.

`link_encodings` compares two sets of encodings with numpy (Dice coefficients over packed bits,
a whole block of pairs at a time), scores the pairs with a Fellegi-Sunter model whose u comes
from random pairs and whose m is estimated by expectation maximisation, and reports the pairs
of codes above a threshold and the number of persons the two sides share.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import math
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from nrm.core.names import consonant_key, person_name_keys
from nrm.linkage.records import PersonRecord, parse_birth_date

FORMAT_VERSION = 1
NAME_BITS = 512  # per name field; 8 words of 64 bits
DIGIT_BITS = 512  # the birth date's digits, for a mistyped digit (kept a quarter full)
HASHES = 15  # bit positions per letter pair
_WORD = 64
# As in the clear-text engine: shorter lists are scored with fixed parameters.
MIN_RECORDS_TO_TRAIN = 1000

_UNKNOWN_SEX = frozenset({"", "NonSpecifiedUnknown"})


class EncodingError(ValueError):
    """Encodings that cannot be linked: another format, another secret, a damaged file."""


def _hmac(secret: bytes, label: str, value: str) -> bytes:
    return hmac.new(secret, f"{label}\x1f{value}".encode(), hashlib.sha256).digest()


def _digest(secret: bytes, label: str, value: str | None) -> int:
    """A keyed 63-bit digest of a value (0 when there is no value)."""
    if not value:
        return 0
    return int.from_bytes(_hmac(secret, label, value)[:8], "big") >> 1 or 1


class _Encoder:
    """Bloom filters and digests under one secret; letter pairs recur, so they are cached."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise EncodingError("The shared secret must be at least 16 bytes.")
        self.secret = secret
        self._positions: dict[tuple[str, str, int], list[int]] = {}

    def positions(self, label: str, gram: str, bits: int) -> list[int]:
        key = (label, gram, bits)
        found = self._positions.get(key)
        if found is None:
            digest = _hmac(self.secret, label, gram)
            first = int.from_bytes(digest[:8], "big")
            second = int.from_bytes(digest[8:16], "big") | 1
            found = self._positions[key] = [(first + i * second) % bits for i in range(HASHES)]
        return found

    def bloom(self, label: str, tokens: Iterable[str], bits: int) -> np.ndarray:
        filled = np.zeros(bits // _WORD, dtype=np.uint64)
        for token in tokens:
            padded = f"_{token}_"
            for index in range(len(padded) - 1):
                for position in self.positions(label, padded[index:index + 2], bits):
                    filled[position // _WORD] |= np.uint64(1 << (position % _WORD))
        return filled


@dataclass
class Encodings:
    """One side's encodings: pseudonymous codes and, per record, filters and digests."""

    codes: np.ndarray  # str
    given: np.ndarray  # (n, NAME_BITS/64) uint64
    family: np.ndarray
    father: np.ndarray
    digits: np.ndarray  # (n, DIGIT_BITS/64) uint64
    digests: dict[str, np.ndarray]  # name → (n,) int64: birth_year, birth_ym, birth_full, …
    check: str  # a keyed fingerprint: two sides with the same secret have the same

    DIGESTS = ("birth_year", "birth_ym", "birth_full", "sex", "citizenship", "given_present",
               "family_present", "father_present")
    BLOCKS = ("block_names", "block_family_year", "block_given_year", "block_cons",
              "block_family_cons_year", "block_given_cons_year", "block_father_given",
              "block_father_family", "block_family_initial", "block_date",
              "block_date_given", "block_date_family")

    def __len__(self) -> int:
        return len(self.codes)

    def to_bytes(self) -> bytes:
        """The encodings as a compressed numpy archive (no pickled objects)."""
        out = io.BytesIO()
        arrays: dict[str, np.ndarray] = {
            "version": np.array([FORMAT_VERSION]), "check": np.array([self.check]),
            "codes": self.codes, "given": self.given, "family": self.family,
            "father": self.father, "digits": self.digits,
            **{f"d_{name}": value for name, value in self.digests.items()},
        }
        np.savez_compressed(out, **arrays)  # type: ignore[arg-type]
        return out.getvalue()

    @classmethod
    def from_bytes(cls, content: bytes) -> Encodings:
        try:
            archive = np.load(io.BytesIO(content), allow_pickle=False)
            if int(archive["version"][0]) != FORMAT_VERSION:
                raise EncodingError("These encodings were made by another version of nrm.")
            digests = {name[2:]: archive[name] for name in archive.files
                       if name.startswith("d_")}
            return cls(codes=archive["codes"], given=archive["given"],
                       family=archive["family"], father=archive["father"],
                       digits=archive["digits"], digests=digests,
                       check=str(archive["check"][0]))
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
            if isinstance(error, EncodingError):
                raise
            raise EncodingError("This is not a file of nrm encodings.") from None


def encode(records: Sequence[PersonRecord], secret: bytes) -> Encodings:
    """Encode records under the shared secret. Raises ValueError for a bad birth date."""
    encoder = _Encoder(secret)
    n = len(records)
    given = np.zeros((n, NAME_BITS // _WORD), dtype=np.uint64)
    family = np.zeros_like(given)
    father = np.zeros_like(given)
    digits = np.zeros((n, DIGIT_BITS // _WORD), dtype=np.uint64)
    digests = {name: np.zeros(n, dtype=np.int64)
               for name in (*Encodings.DIGESTS, *Encodings.BLOCKS)}
    for row, record in enumerate(records):
        keys = person_name_keys(given=record.given_name, family=record.family_name,
                                patronymic=record.patronymic,
                                other_names=tuple(record.other_names))
        born = parse_birth_date(record.birth_date)
        # One label for every name filter, so that a given name written in the family name's
        # place is recognised by comparing across the filters.
        given[row] = encoder.bloom("name", keys.given.split(), NAME_BITS)
        family[row] = encoder.bloom("name", keys.family.split(), NAME_BITS)
        father[row] = encoder.bloom("name", [keys.father] if keys.father else [], NAME_BITS)
        if born.full:
            digits[row] = encoder.bloom(
                "digits", [f"{i}{c}" for i, c in enumerate(born.full.replace("-", ""))],
                DIGIT_BITS)
        year = str(born.year) if born.year else ""
        values = {
            "birth_year": year, "birth_ym": born.year_month or "",
            "birth_full": born.full or "",
            "sex": "" if record.sex in _UNKNOWN_SEX else record.sex,
            "citizenship": record.citizenship.strip().upper(),
            "given_present": "1" if keys.given else "",
            "family_present": "1" if keys.family else "",
            "father_present": "1" if keys.father else "",
            # The clear-text model's blocking keys, keyed: names in either order; a family or a
            # given name with the year; both names by their consonants; the whole birth date.
            "block_names": "|".join(sorted((keys.given, keys.family))) if keys.given
            and keys.family else "",
            "block_family_year": f"{keys.family}|{year}" if keys.family and year else "",
            "block_given_year": f"{keys.given}|{year}" if keys.given and year else "",
            "block_cons": "|".join(sorted((consonant_key(keys.given),
                                           consonant_key(keys.family))))
            if keys.given and keys.family else "",
            "block_family_cons_year": f"{consonant_key(keys.family)}|{year}"
            if keys.family and year else "",
            "block_given_cons_year": f"{consonant_key(keys.given)}|{year}"
            if keys.given and year else "",
            "block_father_given": f"{keys.father}|{keys.given}" if keys.father and keys.given
            else "",
            "block_father_family": f"{keys.father}|{keys.family}"
            if keys.father and keys.family else "",
            "block_family_initial": f"{keys.family}|{keys.given[:1]}"
            if keys.family and keys.given else "",
            "block_date_given": f"{born.full}|{consonant_key(keys.given)[:1]}"
            if born.full and keys.given else "",
            "block_date_family": f"{born.full}|{consonant_key(keys.family)[:1]}"
            if born.full and keys.family else "",
            "block_date": f"{born.full}|{''.join(sorted(keys.given[:1] + keys.family[:1]))}"
            if born.full else "",
        }
        for name, value in values.items():
            digests[name][row] = _digest(secret, name, value)
    return Encodings(codes=np.array([r.record_id for r in records], dtype=str), given=given,
                     family=family, father=father, digits=digits, digests=digests,
                     check=_hmac(secret, "check", "nrm-pprl").hex()[:16])


# --- comparing -----------------------------------------------------------------------------


def _popcount(bits: np.ndarray) -> np.ndarray:
    return np.bitwise_count(bits).sum(axis=-1).astype(np.int32)


def dice(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Dice coefficients of aligned rows of packed Bloom filters (0 when both are empty)."""
    both = _popcount(left & right)
    total = _popcount(left) + _popcount(right)
    return np.where(total > 0, 2.0 * both / np.maximum(total, 1), 0.0)


# Level codes per field, most to least alike; level 0 of each field is "missing".
LEVELS: dict[str, tuple[str, ...]] = {
    "given_name": ("missing", "exact", "swapped", "sound_alike", "similar", "different"),
    "family_name": ("missing", "exact", "swapped", "sound_alike", "similar", "different"),
    "patronymic": ("missing", "exact", "similar", "different"),
    "birth_date": ("missing", "exact", "month_only", "year_only", "typo", "same_year",
                   "different"),
    "sex": ("missing", "exact", "different"),
    "citizenship": ("missing", "exact", "different"),
}


def _name_levels(straight: np.ndarray, crossed: np.ndarray, missing: np.ndarray) -> np.ndarray:
    # One letter changed in an eight-letter name leaves 7 of its 9 letter pairs: Dice 0.78;
    # Bloom filters add a little by chance.
    level = np.full(straight.shape, 5, dtype=np.int8)
    level[straight >= 0.5] = 4
    level[straight >= 0.7] = 3
    level[(crossed >= 0.7) & (straight < 0.7)] = 2
    level[straight >= 0.99] = 1
    level[missing] = 0
    return level


def compare(a: Encodings, b: Encodings, left: np.ndarray, right: np.ndarray,
            ) -> dict[str, np.ndarray]:
    """The level of every field for the pairs (a[left[i]], b[right[i]])."""
    da, db = a.digests, b.digests
    given = dice(a.given[left], b.given[right])
    family = dice(a.family[left], b.family[right])
    given_x = np.minimum(dice(a.given[left], b.family[right]),
                         dice(a.family[left], b.given[right]))
    levels = {
        "given_name": _name_levels(given, given_x, (da["given_present"][left] == 0)
                                   | (db["given_present"][right] == 0)),
        "family_name": _name_levels(family, given_x, (da["family_present"][left] == 0)
                                    | (db["family_present"][right] == 0)),
    }
    father = dice(a.father[left], b.father[right])
    level = np.full(len(left), 3, dtype=np.int8)
    level[father >= 0.75] = 2
    level[father >= 0.99] = 1
    level[(da["father_present"][left] == 0) | (db["father_present"][right] == 0)] = 0
    levels["patronymic"] = level

    year_l, year_r = da["birth_year"][left], db["birth_year"][right]
    ym_l, ym_r = da["birth_ym"][left], db["birth_ym"][right]
    full_l, full_r = da["birth_full"][left], db["birth_full"][right]
    digits = dice(a.digits[left], b.digits[right])
    level = np.full(len(left), 6, dtype=np.int8)
    level[year_l == year_r] = 5
    level[(full_l != 0) & (full_r != 0) & (digits >= 0.85)] = 4
    level[(year_l == year_r) & ((ym_l == 0) | (ym_r == 0))] = 3
    level[(ym_l == ym_r) & (ym_l != 0) & ((full_l == 0) | (full_r == 0))] = 2
    level[(full_l == full_r) & (full_l != 0)] = 1
    level[(year_l == 0) | (year_r == 0)] = 0
    levels["birth_date"] = level
    for name in ("sex", "citizenship"):
        left_value, right_value = da[name][left], db[name][right]
        level = np.where(left_value == right_value, 1, 2).astype(np.int8)
        level[(left_value == 0) | (right_value == 0)] = 0
        levels[name] = level
    return levels


def candidate_pairs(a: Encodings, b: Encodings) -> tuple[np.ndarray, np.ndarray]:
    """Pairs sharing any keyed blocking key (a's index, b's index), each once."""
    found: list[np.ndarray] = []
    for name in Encodings.BLOCKS:
        left_keys, right_keys = a.digests[name], b.digests[name]
        order = np.argsort(right_keys, kind="stable")
        sorted_keys = right_keys[order]
        starts = np.searchsorted(sorted_keys, left_keys, side="left")
        ends = np.searchsorted(sorted_keys, left_keys, side="right")
        counts = np.where(left_keys != 0, ends - starts, 0)
        left_index = np.repeat(np.arange(len(a)), counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        right_index = order[np.repeat(starts, counts) + offsets]
        found.append(left_index.astype(np.int64) * max(len(b), 1) + right_index)
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    unique = np.unique(np.concatenate(found))
    return unique // max(len(b), 1), unique % max(len(b), 1)


# --- scoring -------------------------------------------------------------------------------


@dataclass
class Model:
    """m and u per field and level (index 0, missing, counts for nothing), and the prior."""

    m: dict[str, np.ndarray]
    u: dict[str, np.ndarray]
    prior: float

    def weights(self, levels: dict[str, np.ndarray],
                frequencies: dict[str, np.ndarray] | None = None) -> np.ndarray:
        """Match weights of the pairs; with ``frequencies`` (how common the agreeing value is,
        per pair), an exact agreement on a common name counts for less than on a rare one."""
        total = np.full(len(next(iter(levels.values()))), math.log2(
            self.prior / (1 - self.prior)))
        for name, level in levels.items():
            table = np.log2(self.m[name] / self.u[name])
            table[0] = 0.0
            weight = table[level]
            if frequencies and name in frequencies:
                exact = level == 1
                weight = np.where(exact, np.log2(self.m[name][1] / np.maximum(
                    frequencies[name], self.u[name][1] * 0.01)), weight)
            total = total + weight
        return total


def _fixed_parameters() -> dict[str, dict[str, tuple[float, bool]]]:
    """The clear-text model's m per level, and whether it is fixed from experience."""
    from nrm.linkage.engine.person import PERSON_MODEL

    return {comparison.field: {level.code: (level.m, level.fixed_m)
                               for level in comparison.levels}
            for comparison in PERSON_MODEL.comparisons}


def _fixed_model(a: Encodings, b: Encodings) -> Model:
    """The clear-text model's fixed m and u, for lists too short to learn from; the prior
    expects some two in five records of the shorter list on the other."""
    from nrm.linkage.engine.person import PERSON_MODEL

    by_field = {comparison.field: {level.code: level for level in comparison.levels}
                for comparison in PERSON_MODEL.comparisons}
    m: dict[str, np.ndarray] = {}
    u: dict[str, np.ndarray] = {}
    for name, codes in LEVELS.items():
        levels = by_field[name]
        m[name] = np.array([levels[code].m if code in levels and not levels[code].is_null
                            else 1.0 for code in codes])
        u[name] = np.array([levels[code].u if code in levels and not levels[code].is_null
                            else 1.0 for code in codes])
    prior = min(0.5, 0.4 * min(len(a), len(b)) / max(1, len(a) * len(b)))
    return Model(m, u, prior)


def _estimate(a: Encodings, b: Encodings, levels: dict[str, np.ndarray], *, seed: int,
              samples: int = 200_000) -> Model:
    """u from random pairs; m by expectation maximisation over the candidate pairs, starting
    from the clear-text model's parameters and keeping those it fixes from experience; the
    prior is the share of matches among all pairs, as in the clear-text model."""
    rng = np.random.default_rng(seed)
    random_levels = compare(a, b, rng.integers(0, len(a), samples),
                            rng.integers(0, len(b), samples))
    fixed = _fixed_parameters()
    u: dict[str, np.ndarray] = {}
    m: dict[str, np.ndarray] = {}
    frozen: dict[str, np.ndarray] = {}
    for name, codes in LEVELS.items():
        counts = np.bincount(random_levels[name], minlength=len(codes)).astype(float)
        u[name] = (counts + 0.5) / (counts[1:].sum() + 0.5 * len(codes))
        start = np.array([fixed[name].get(code, (0.02, False))[0] or 0.02 for code in codes])
        m[name] = start / start[1:].sum()
        frozen[name] = np.array([fixed[name].get(code, (0, False))[1] for code in codes])
    candidates = len(next(iter(levels.values())))
    share = 0.5
    for _iteration in range(40):
        prior = max(1e-12, min(0.5, share * candidates / (len(a) * len(b))))
        probability = 1 / (1 + np.power(2.0, -Model(m, u, prior).weights(levels)))
        # The share of matches among the candidates, from the model's own posterior.
        updated = float(probability.mean())
        for name, codes in LEVELS.items():
            sums = np.bincount(levels[name], weights=probability, minlength=len(codes))
            known = sums[1:].sum()
            if known <= 0:
                continue
            estimate = (sums + 0.01) / (known + 0.01 * len(codes))
            keep = frozen[name]
            free = ~keep
            free[0] = False
            # Levels fixed from experience keep their m; the others share what is left.
            room = 1.0 - m[name][1:][keep[1:]].sum()
            total = estimate[free].sum()
            if total > 0:
                m[name][free] = estimate[free] * room / total
        if abs(updated - share) < 1e-5:
            share = updated
            break
        share = updated
    prior = max(1e-12, min(0.5, share * candidates / (len(a) * len(b))))
    return Model(m, u, prior)


@dataclass
class LinkResult:
    """Pairs of pseudonymous codes that are probably the same person, and their count."""

    pairs: list[tuple[str, str, float]]  # (code on side A, code on side B, probability)
    shared_persons: int  # persons on both sides: groups of records linked across the lists
    candidate_pairs: int
    comparisons_per_second: float


def link_encodings(a: Encodings, b: Encodings, *, threshold: float = 0.9,
                   seed: int = 6) -> LinkResult:
    """Link two sides' encodings; EncodingError if they were not made with the same secret."""
    import time

    if a.check != b.check:
        raise EncodingError("The two files were encoded with different secrets (or different "
                            "settings): they cannot be linked.")
    started = time.perf_counter()
    left, right = candidate_pairs(a, b)
    levels = compare(a, b, left, right)
    seconds = time.perf_counter() - started
    frequencies: dict[str, np.ndarray] | None = None
    if min(len(a), len(b)) < MIN_RECORDS_TO_TRAIN:
        model = _fixed_model(a, b)
    else:
        model = _estimate(a, b, levels, seed=seed)
        # How common a name is can only be learnt from enough names.
        frequencies = {"given_name": _frequency(a.given, b.given, left),
                       "family_name": _frequency(a.family, b.family, left)}
    probability = 1 / (1 + np.power(2.0, -model.weights(levels, frequencies)))
    keep = probability >= threshold
    order = np.argsort(-probability[keep], kind="stable")
    kept_left, kept_right, kept_p = left[keep][order], right[keep][order], probability[keep][order]
    pairs = [(str(a.codes[i]), str(b.codes[j]), float(p))
             for i, j, p in zip(kept_left, kept_right, kept_p, strict=True)]
    # The persons both sides hold: groups of records linked across the two lists (a person
    # recorded twice on one side is still one person).
    from nrm.linkage.engine import CandidatePair, clusters_of

    ids = [f"a:{code}" for code in a.codes[np.unique(kept_left)]] + [
        f"b:{code}" for code in b.codes[np.unique(kept_right)]]
    groups = clusters_of(ids, [CandidatePair(f"a:{x}", f"b:{y}", p, 0.0, ())
                               for x, y, p in pairs], threshold=threshold)
    shared = len(set(groups.values()))
    return LinkResult(pairs=pairs, shared_persons=shared, candidate_pairs=len(left),
                      comparisons_per_second=len(left) / seconds if seconds > 0 else 0.0)


def _frequency(side_a: np.ndarray, side_b: np.ndarray, left: np.ndarray) -> np.ndarray:
    """How often side A's filter of each pair occurs among both sides' records (an identical
    filter is an identical normalised name): the share of records with that name."""
    both = np.ascontiguousarray(np.concatenate([side_a, side_b]))
    rows = both.view(np.dtype((np.void, both.dtype.itemsize * both.shape[1]))).ravel()
    _values, inverse, counts = np.unique(rows, return_inverse=True, return_counts=True)
    share = counts[inverse[: len(side_a)]] / len(rows)
    return share[left]


def secret_from_text(text: str) -> bytes:
    """The shared secret as the two sides agree it: a passphrase of at least 16 characters,
    or a base64 key from `nrm generate_keys`."""
    if len(text.strip()) < 16:
        raise EncodingError("The shared secret must be at least 16 characters long.")
    return hashlib.sha256(b"nrm-pprl\x1f" + text.strip().encode()).digest()

