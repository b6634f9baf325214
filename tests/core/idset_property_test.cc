// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// IdSet and ReplIdSet against a reference model: a std::map from replica to a
// std::set<uint64_t> of members. Thousands of random cases, fixed seeds.

#include <map>
#include <random>
#include <set>

#include "gtest/gtest.h"
#include "ioreplication/idset.h"
#include "reference_globset.h"
#include "test_util.h"

namespace ioreplication {
namespace {

using ::ioreplication::testing::EncodeRandomly;
using ::ioreplication::testing::FilledGuid;
using ::ioreplication::testing::GC;
using ::ioreplication::testing::Ranges;
using ::ioreplication::testing::Span;
using ::ioreplication::testing::ToHex;

constexpr int kCases = 3000;

template <typename Key>
using Model = std::map<Key, std::set<uint64_t>>;

Guid KeyFor(Guid*, int i) {
  return FilledGuid(static_cast<uint8_t>(0x10 * i + 3));
}
ReplId KeyFor(ReplId*, int i) { return static_cast<ReplId>(1 + 0x101 * i); }

template <typename Key>
Key RandomKey(std::mt19937_64& rng) {
  return KeyFor(static_cast<Key*>(nullptr), static_cast<int>(rng() % 4));
}

// Values near a random base, so that bitmasks, pushes and ranges all occur;
// sometimes the base sits high in the 48-bit space.
uint64_t RandomValue(std::mt19937_64& rng, uint64_t base) {
  return std::min(base + rng() % 300, GlobCnt::kMaxValue);
}

template <typename Key>
Model<Key> RandomModel(std::mt19937_64& rng) {
  Model<Key> m;
  const int n = static_cast<int>(rng() % 60);
  const uint64_t base = rng() % 3 == 0 ? (rng() & GlobCnt::kMaxValue) : 0;
  for (int i = 0; i < n; ++i) {
    const uint64_t v = RandomValue(rng, base);
    const uint64_t len = rng() % 4 == 0 ? rng() % 12 : 0;
    for (uint64_t x = v; x <= std::min(v + len, GlobCnt::kMaxValue); ++x) {
      m[RandomKey<Key>(rng)].insert(x);
    }
  }
  return m;
}

template <typename Key>
BasicIdSet<Key> FromModel(const Model<Key>& m, std::mt19937_64& rng) {
  BasicIdSet<Key> set;
  // Insert in random order to exercise the out-of-order paths.
  std::vector<std::pair<Key, uint64_t>> items;
  for (const auto& [k, values] : m) {
    for (uint64_t v : values) items.push_back({k, v});
  }
  std::shuffle(items.begin(), items.end(), rng);
  for (const auto& [k, v] : items) set.Insert(k, GC(v));
  return set;
}

template <typename Key>
Model<Key> ToModel(const BasicIdSet<Key>& set) {
  Model<Key> m;
  for (const auto& entry : set) {
    for (const GlobRange& r : entry.globset.ranges()) {
      for (uint64_t v = r.low; v <= r.high; ++v) m[entry.key].insert(v);
    }
  }
  return m;
}

template <typename Key>
void Normalize(Model<Key>& m) {
  std::erase_if(m, [](const auto& kv) { return kv.second.empty(); });
}

template <typename Key>
class IdSetPropertyTest : public ::testing::Test {};
using KeyTypes = ::testing::Types<Guid, ReplId>;
TYPED_TEST_SUITE(IdSetPropertyTest, KeyTypes);

TYPED_TEST(IdSetPropertyTest, SetAlgebraAgreesWithTheModel) {
  using Key = TypeParam;
  std::mt19937_64 rng(42);
  for (int i = 0; i < kCases; ++i) {
    const Model<Key> ma = RandomModel<Key>(rng), mb = RandomModel<Key>(rng);
    const BasicIdSet<Key> a = FromModel(ma, rng), b = FromModel(mb, rng);
    ASSERT_EQ(ToModel(a), ma);

    Model<Key> mu = ma, md, mi;
    for (const auto& [k, vs] : mb) mu[k].insert(vs.begin(), vs.end());
    for (const auto& [k, vs] : ma) {
      auto other = mb.find(k);
      for (uint64_t v : vs) {
        const bool in_b = other != mb.end() && other->second.count(v);
        (in_b ? mi : md)[k].insert(v);
      }
    }
    Normalize(md);
    Normalize(mi);

    BasicIdSet<Key> u = a, d = a, x = a;
    u.UnionWith(b);
    d.Subtract(b);
    x.IntersectWith(b);
    ASSERT_EQ(ToModel(u), mu);
    ASSERT_EQ(ToModel(d), md);
    ASSERT_EQ(ToModel(x), mi);
    // Canonical form: equal sets compare equal however they were built.
    ASSERT_EQ(u, FromModel(mu, rng));
    ASSERT_EQ(d, FromModel(md, rng));

    uint64_t count = 0;
    for (const auto& [k, vs] : ma) count += vs.size();
    ASSERT_EQ(a.Count(), count);
    ASSERT_TRUE(u.Includes(a));
    ASSERT_TRUE(u.Includes(b));
    ASSERT_TRUE(a.Includes(x));
    bool b_in_a = true;
    for (const auto& [k, vs] : mb) {
      for (uint64_t v : vs) {
        if (!ma.count(k) || !ma.at(k).count(v)) b_in_a = false;
      }
    }
    ASSERT_EQ(a.Includes(b), b_in_a);
    // Membership, including near misses.
    for (int probe = 0; probe < 20; ++probe) {
      const Key k = RandomKey<Key>(rng);
      const uint64_t v =
          RandomValue(rng, ma.empty() || ma.begin()->second.empty()
                               ? 0
                               : *ma.begin()->second.begin());
      const bool expected = ma.count(k) && ma.at(k).count(v);
      ASSERT_EQ(a.Contains(k, GC(v)), expected);
    }
  }
}

TYPED_TEST(IdSetPropertyTest, EncodingRoundTripsAndIsCanonical) {
  using Key = TypeParam;
  std::mt19937_64 rng(43);
  for (int i = 0; i < kCases; ++i) {
    const BasicIdSet<Key> set = FromModel(RandomModel<Key>(rng), rng);
    const std::string wire = set.Encode();
    absl::StatusOr<BasicIdSet<Key>> back = BasicIdSet<Key>::Decode(Span(wire));
    ASSERT_TRUE(back.ok()) << ToHex(wire) << " " << back.status();
    ASSERT_EQ(*back, set);
    ASSERT_EQ(back->Encode(), wire);
    // The text form round-trips too.
    ASSERT_EQ(BasicIdSet<Key>::Parse(set.ToString()).value(), set);
  }
}

void AppendKey(const Guid& key, std::string* out) { key.AppendTo(out); }
void AppendKey(ReplId key, std::string* out) {
  out->push_back(static_cast<char>(key & 0xFF));
  out->push_back(static_cast<char>(key >> 8));
}

TYPED_TEST(IdSetPropertyTest, DecodesAnyConformingEncoding) {
  using Key = TypeParam;
  std::mt19937_64 rng(44);
  for (int i = 0; i < kCases; ++i) {
    const BasicIdSet<Key> set = FromModel(RandomModel<Key>(rng), rng);
    // Each replica's ranges split over one or two groups, groups shuffled,
    // each GLOBSET encoded at random.
    std::vector<std::string> groups;
    for (const auto& entry : set) {
      Ranges ranges;
      for (const GlobRange& r : entry.globset.ranges())
        ranges.push_back({r.low, r.high});
      const size_t cut = rng() % (ranges.size() + 1);
      for (const Ranges& part : {Ranges(ranges.begin(), ranges.begin() + cut),
                                 Ranges(ranges.begin() + cut, ranges.end())}) {
        if (part.empty() && rng() % 2) continue;
        std::string group;
        AppendKey(entry.key, &group);
        group += EncodeRandomly(part, rng);
        groups.push_back(group);
      }
    }
    std::shuffle(groups.begin(), groups.end(), rng);
    std::string wire;
    for (const std::string& g : groups) wire += g;
    absl::StatusOr<BasicIdSet<Key>> back = BasicIdSet<Key>::Decode(Span(wire));
    ASSERT_TRUE(back.ok()) << ToHex(wire) << " " << back.status();
    ASSERT_EQ(*back, set) << ToHex(wire);
  }
}

TYPED_TEST(IdSetPropertyTest, RejectsEveryTruncation) {
  using Key = TypeParam;
  std::mt19937_64 rng(45);
  for (int i = 0; i < 300; ++i) {
    const BasicIdSet<Key> set = FromModel(RandomModel<Key>(rng), rng);
    const std::string wire = set.Encode();
    // Cutting inside the last group always leaves it without its End.
    const size_t last_group = wire.size() - (set.empty() ? 0 : 1);
    for (size_t n = 1; n <= 3 && n <= last_group; ++n) {
      const std::string cut = wire.substr(0, wire.size() - n);
      absl::StatusOr<BasicIdSet<Key>> back = BasicIdSet<Key>::Decode(Span(cut));
      if (back.ok()) {
        // Only possible when the cut falls exactly after an earlier group.
        ASSERT_NE(*back, set);
      } else {
        ASSERT_EQ(back.status().code(), absl::StatusCode::kDataLoss);
      }
    }
  }
}

}  // namespace
}  // namespace ioreplication
