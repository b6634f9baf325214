// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Independent GLOBSET code for cross-checking the library:
//  - a reference decoder written straight from MS-OXCFXICS 2.2.2.6 and
//    3.1.5.4.3.2, with a byte-vector stack instead of the library's bit
//    tricks;
//  - the encoders of two known implementations, as SPEC-NOTES section 3.3
//    describes them (one range at a time; one shared push plus per-range
//    pushes);
//  - a random conforming encoder that mixes nested pushes, singleton pushes,
//    bitmasks and ranges at every stack depth, and splits ranges into
//    adjacent pieces.

#ifndef IOREPLICATION_TESTS_CORE_REFERENCE_GLOBSET_H_
#define IOREPLICATION_TESTS_CORE_REFERENCE_GLOBSET_H_

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace ioreplication::testing {

using Ranges = std::vector<std::pair<uint64_t, uint64_t>>;

// Sorts and merges overlapping or adjacent ranges.
Ranges Normalize(Ranges ranges);

// Decodes one GLOBSET starting at bytes[*pos]; advances *pos past its End.
// Returns nullopt for anything a strict reading of the spec rejects.
std::optional<Ranges> ReferenceDecode(const std::string& bytes, size_t* pos);

// One range at a time: a singleton as Push 6, otherwise Push of the range's
// own common prefix (if any), Range, Pop.
std::string EncodeOneRangeAtATime(const Ranges& normalized);

// One Push of the prefix shared by the whole set, then per range: a
// singleton as a completing Push, otherwise Push of the extra common prefix,
// Range, Pop; finally Pop.
std::string EncodeSharedPrefixFirst(const Ranges& normalized);

// A random conforming encoding of `normalized`.
std::string EncodeRandomly(const Ranges& normalized, std::mt19937_64& rng);

}  // namespace ioreplication::testing

#endif  // IOREPLICATION_TESTS_CORE_REFERENCE_GLOBSET_H_
