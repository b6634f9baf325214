// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The GLOBSET encoder and decoder.
//
// Values are 48 bits, written as 6 bytes, byte 0 the most significant. Both
// sides keep a "common byte stack" of high-order bytes shared by what follows.
//
// The encoder is a prefix walk over the sorted ranges. At stack depth d it
// splits the ranges into runs that share byte d; a run of two or more ranges
// pushes its whole common prefix and recurses (unless writing its ranges one
// by one is shorter), a single range is written directly (a singleton as a
// Push that completes 6 bytes and so pops itself, a wider range as a Range, or
// behind a Push when that saves bytes), and a range that spans several values
// of byte d is a Range at depth d. At depth 5 the low bytes of nearby ranges
// are packed into Bitmask commands. The output is a function of the set
// alone, and it pops everything before End.

#include "core/globset_codec.h"

#include <algorithm>
#include <bit>

#include "absl/strings/str_cat.h"
#include "core/byte_reader.h"

namespace ioreplication {
namespace {

using core_internal::ByteReader;

constexpr int kValueBytes = 6;

// Byte `i` (0 = most significant) of a 48-bit value.
uint8_t ByteAt(uint64_t v, int i) {
  return static_cast<uint8_t>(v >> (8 * (kValueBytes - 1 - i)));
}

int LowByte(uint64_t v) { return static_cast<int>(v & 0xFF); }

// How many leading bytes of two 48-bit values are equal (0..6).
int CommonPrefix(uint64_t a, uint64_t b) {
  const uint64_t diff = a ^ b;
  if (diff == 0) return kValueBytes;
  return (std::countl_zero(diff) - 16) / 8;
}

// The bits of bytes [0, depth) of a 48-bit value.
uint64_t PrefixMask(int depth) {
  const uint64_t all = GlobCnt::kMaxValue;
  return depth == 0 ? 0
                    : all & ~((uint64_t{1} << (8 * (kValueBytes - depth))) - 1);
}

class Encoder {
 public:
  explicit Encoder(std::string* out)
      : out_(out), begin_(out->size()), pos_(begin_) {}

  void Encode(std::span<const GlobRange> ranges) {
    if (!ranges.empty()) Run(ranges.data(), ranges.data() + ranges.size(), 0);
    Reserve(1);
    Put(kGlobSetEnd);
    out_->resize(pos_);
  }

 private:
  // The longest single command: Range with two 6-byte values.
  static constexpr size_t kMaxCommand = 13;

  // Output goes through a raw cursor; Reserve() runs once per command so the
  // per-byte path has no capacity check. Growth is geometric in what this
  // GLOBSET wrote, not in the whole buffer, so that an IDSET of many small
  // groups does not zero-fill its whole output once per group.
  void Reserve(size_t n) {
    if (out_->size() - pos_ < n) {
      out_->resize(pos_ + std::max<size_t>(n + 256, pos_ - begin_));
    }
  }
  void Put(uint8_t b) { (*out_)[pos_++] = static_cast<char>(b); }
  void PutBytes(uint64_t v, int from, int to) {
    for (int i = from; i < to; ++i) Put(ByteAt(v, i));
  }

  void Push(uint64_t v, int from, int to) {
    Reserve(kMaxCommand);
    Put(static_cast<uint8_t>(to - from));
    PutBytes(v, from, to);
  }

  void Pop() {
    Reserve(1);
    Put(kGlobSetPop);
  }

  void Range(const GlobRange& r, int depth) {
    Reserve(kMaxCommand);
    Put(kGlobSetRange);
    PutBytes(r.low, depth, kValueBytes);
    PutBytes(r.high, depth, kValueBytes);
  }

  void Bitmask(int start, unsigned mask) {
    Reserve(3);
    Put(kGlobSetBitmask);
    Put(static_cast<uint8_t>(start));
    Put(static_cast<uint8_t>(mask));
  }

  // One range on its own at `depth`: a singleton as a Push that completes 6
  // bytes (and so pops itself); a wider range as a Range, or behind a Push of
  // its own common prefix when that is shorter.
  static size_t SingleCost(const GlobRange& r, int depth) {
    if (r.low == r.high) return 1 + (kValueBytes - depth);
    const int extra = CommonPrefix(r.low, r.high) - depth;
    const size_t range = 1 + 2 * (kValueBytes - depth);
    // Push + Range + Pop costs 2 + extra bytes and saves 2 * extra.
    return extra > 2 ? range + 2 - extra : range;
  }

  void Single(const GlobRange& r, int depth) {
    if (r.low == r.high) {
      Push(r.low, depth, kValueBytes);
      return;
    }
    const int common = CommonPrefix(r.low, r.high);
    if (common - depth > 2) {
      Push(r.low, depth, common);
      Range(r, common);
      Pop();
    } else {
      Range(r, depth);
    }
  }

  // Ranges [b, e) all share the `depth` bytes on the stack.
  void Run(const GlobRange* b, const GlobRange* e, int depth) {
    if (e - b == 1) {
      Single(*b, depth);
      return;
    }
    const int common = CommonPrefix(b->low, (e - 1)->high);
    if (common == depth) {
      Level(b, e, depth);
      return;
    }
    // Push the shared prefix and recurse; keep that unless writing each
    // range on its own is strictly shorter (then undo it). Each level is thus
    // never longer than its flat form, and the whole never longer than
    // encoding one range at a time.
    const size_t start = pos_;
    Push(b->low, depth, common);
    Level(b, e, common);
    Pop();
    const size_t pushed = pos_ - start;
    // Every range on its own costs at least a completing Push; only when that
    // bound does not already settle it is the exact flat cost worth summing.
    const size_t count = static_cast<size_t>(e - b);
    if (count * (1 + kValueBytes - depth) >= pushed) return;
    size_t flat = 0;
    for (const GlobRange* r = b; r < e; ++r) flat += SingleCost(*r, depth);
    if (flat < pushed) {
      pos_ = start;
      for (const GlobRange* r = b; r < e; ++r) Single(*r, depth);
    }
  }

  // Ranges [b, e) share exactly the `depth` bytes on the stack.
  void Level(const GlobRange* b, const GlobRange* e, int depth) {
    if (depth == kValueBytes - 1) {
      LowBytes(b, e);
      return;
    }
    const int shift = 8 * (kValueBytes - 1 - depth);
    for (const GlobRange* k = b; k < e;) {
      if (ByteAt(k->low, depth) != ByteAt(k->high, depth)) {
        Range(*k, depth);
        ++k;
        continue;
      }
      const uint64_t key = k->low >> shift;
      const GlobRange* m = k + 1;
      while (m < e && (m->high >> shift) == key) ++m;
      Run(k, m, depth);
      k = m;
    }
  }

  // Ranges [b, e) share the 5 stacked bytes; only low bytes remain.
  void LowBytes(const GlobRange* b, const GlobRange* e) {
    for (const GlobRange* k = b; k < e;) {
      const int lo = LowByte(k->low);
      const int hi = LowByte(k->high);
      const bool next_in_window = k + 1 < e && LowByte((k + 1)->high) <= lo + 8;
      if (next_in_window) {
        // StartingValue lo, then bit i for lo + 1 + i. Everything here is a
        // real low byte, so the mask never runs past 0xFF.
        unsigned mask = 0;
        while (k < e && LowByte(k->high) <= lo + 8) {
          const int from = std::max(LowByte(k->low), lo + 1) - lo - 1;
          const int to = LowByte(k->high) - lo - 1;  // inclusive, -1 if only lo
          if (to >= from) mask |= ((2u << to) - 1) & ~((1u << from) - 1);
          ++k;
        }
        Bitmask(lo, mask);
      } else if (lo == hi) {
        Push(k->low, kValueBytes - 1, kValueBytes);
        ++k;
      } else {
        Range(*k, kValueBytes - 1);
        ++k;
      }
    }
  }

  std::string* out_;
  const size_t begin_;  // where this GLOBSET starts in *out_
  size_t pos_;          // bytes of *out_ written so far
};

}  // namespace

absl::Status GlobSetDecoder::Decode(ByteReader& in, GlobSet& out) {
  uint64_t prefix = 0;  // the stacked bytes, in place in a 48-bit value
  int depth = 0;        // how many bytes are stacked
  int pushes[kValueBytes];
  int push_count = 0;
  while (true) {
    const size_t at = in.offset();
    const uint8_t* command = in.Take(1);
    if (command == nullptr) {
      return in.ErrorAt(at, "GLOBSET ends without an End command");
    }
    switch (*command) {
      case kGlobSetEnd:
        if (depth != 0) {
          return in.ErrorAt(at, "End command with ", depth,
                            " bytes still on the common byte stack");
        }
        return absl::OkStatus();
      case 0x01:
      case 0x02:
      case 0x03:
      case 0x04:
      case 0x05:
      case 0x06: {
        const int n = *command;
        if (depth + n > kValueBytes) {
          return in.ErrorAt(at, "Push of ", n,
                            " bytes overflows the common byte stack, which "
                            "already holds ",
                            depth, " of 6");
        }
        const uint8_t* bytes = in.Take(n);
        if (bytes == nullptr) return in.TruncatedAt(at, "Push command", 1 + n);
        const uint64_t v = core_internal::LoadBigEndian(bytes, n)
                           << (8 * (kValueBytes - depth - n));
        if (depth + n == kValueBytes) {
          // A complete value: add it and pop this push straight away.
          out.AddRange(prefix | v, prefix | v);
        } else {
          prefix |= v;
          depth += n;
          pushes[push_count++] = n;
        }
        break;
      }
      case kGlobSetPop:
        if (push_count == 0) {
          return in.ErrorAt(at, "Pop command with an empty common byte stack");
        }
        depth -= pushes[--push_count];
        prefix &= PrefixMask(depth);
        break;
      case kGlobSetBitmask: {
        if (depth != kValueBytes - 1) {
          return in.ErrorAt(at,
                            "Bitmask command needs 5 bytes on the common byte "
                            "stack, found ",
                            depth);
        }
        const uint8_t* bytes = in.Take(2);
        if (bytes == nullptr) return in.TruncatedAt(at, "Bitmask command", 3);
        const unsigned start = bytes[0];
        const unsigned mask = bytes[1];
        if (mask != 0 &&
            start + 1 + (7 - std::countl_zero(static_cast<uint8_t>(mask))) >
                0xFF) {
          return in.ErrorAt(at,
                            "Bitmask runs past low byte 0xFF (StartingValue 0x",
                            absl::Hex(start, absl::kZeroPad2), ", mask 0x",
                            absl::Hex(mask, absl::kZeroPad2), ")");
        }
        // Bit 0 of `members` is StartingValue itself, bit i + 1 is mask bit
        // i; each run of set bits is one range.
        unsigned members = mask << 1 | 1u;
        unsigned base = start;
        while (members != 0) {
          const int skip = std::countr_zero(members);
          members >>= skip;
          base += static_cast<unsigned>(skip);
          const int run = std::countr_one(members);
          out.AddRange(prefix | base, prefix | (base + run - 1));
          members >>= run;
          base += static_cast<unsigned>(run);
        }
        break;
      }
      case kGlobSetRange: {
        const int n = kValueBytes - depth;
        const uint8_t* bytes = in.Take(2 * n);
        if (bytes == nullptr) {
          return in.TruncatedAt(at, "Range command", 1 + 2 * n);
        }
        const uint64_t low = prefix | core_internal::LoadBigEndian(bytes, n);
        const uint64_t high =
            prefix | core_internal::LoadBigEndian(bytes + n, n);
        if (low > high) {
          return in.ErrorAt(at, "inverted Range: low ", low, " > high ", high);
        }
        out.AddRange(low, high);
        break;
      }
      default:
        return in.ErrorAt(at, "unknown GLOBSET command 0x",
                          absl::Hex(*command, absl::kZeroPad2));
    }
  }
}

void GlobSet::EncodeTo(std::string* out) const { Encoder(out).Encode(ranges_); }

std::string GlobSet::Encode() const {
  std::string out;
  EncodeTo(&out);
  return out;
}

absl::StatusOr<GlobSet> GlobSet::Decode(std::span<const uint8_t> bytes) {
  ByteReader in(bytes, "GLOBSET");
  GlobSet set;
  absl::Status status = GlobSetDecoder::Decode(in, set);
  if (!status.ok()) return status;
  if (!in.empty()) {
    return in.ErrorAt(in.offset(), in.remaining(),
                      " trailing bytes after the End command");
  }
  return set;
}

}  // namespace ioreplication
