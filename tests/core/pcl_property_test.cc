// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Pcl against a reference model: a std::map from GUID to LocalId, with the
// inclusion test written straight from the MS-OXCFXICS definition.

#include <map>
#include <random>

#include "gtest/gtest.h"
#include "ioreplication/pcl.h"
#include "test_util.h"

namespace ioreplication {
namespace {

using ::ioreplication::testing::FilledGuid;
using ::ioreplication::testing::Span;
using ::ioreplication::testing::X;

using Model = std::map<Guid, uint64_t>;

constexpr int kCases = 5000;

// A few GUIDs and small counters, so that random pairs hit every relation.
const std::vector<Guid>& Universe() {
  static const auto* guids = new std::vector<Guid>{
      FilledGuid(0x00), FilledGuid(0x11), FilledGuid(0x7F), FilledGuid(0x80),
      FilledGuid(0xFE)};
  return *guids;
}

Model RandomModel(std::mt19937_64& rng) {
  Model m;
  for (const Guid& g : Universe()) {
    if (rng() % 2) m[g] = rng() % 4;
  }
  return m;
}

Pcl FromModel(const Model& m) {
  Pcl pcl;
  for (const auto& [g, v] : m) EXPECT_TRUE(pcl.Raise(X(g, v)).ok());
  return pcl;
}

// MS-OXCFXICS 3.1.5.6.1: A includes B iff every XID of B has a same-GUID XID
// in A with an equal or greater LocalId.
bool ModelIncludes(const Model& a, const Model& b) {
  for (const auto& [g, v] : b) {
    auto it = a.find(g);
    if (it == a.end() || it->second < v) return false;
  }
  return true;
}

PclOrder ModelCompare(const Model& a, const Model& b) {
  const bool ab = ModelIncludes(a, b), ba = ModelIncludes(b, a);
  if (ab && ba) return PclOrder::kEqual;
  if (ab) return PclOrder::kNewer;
  if (ba) return PclOrder::kOlder;
  return PclOrder::kConflict;
}

PclOrder Reverse(PclOrder o) {
  if (o == PclOrder::kNewer) return PclOrder::kOlder;
  if (o == PclOrder::kOlder) return PclOrder::kNewer;
  return o;
}

TEST(PclPropertyTest, CompareAgreesWithTheDefinitionAndIsAntisymmetric) {
  std::mt19937_64 rng(20261121);
  std::map<PclOrder, int> seen;
  for (int i = 0; i < kCases; ++i) {
    const Model ma = RandomModel(rng);
    // A quarter of the pairs are equal or one step apart, so that every
    // outcome shows up often.
    Model mb = RandomModel(rng);
    if (rng() % 4 == 0) {
      mb = ma;
      if (!mb.empty() && rng() % 2) mb.begin()->second += 1;
    }
    const Pcl a = FromModel(ma), b = FromModel(mb);
    const PclOrder order = a.Compare(b);
    ASSERT_EQ(order, ModelCompare(ma, mb))
        << a.ToString() << " " << b.ToString();
    ASSERT_EQ(b.Compare(a), Reverse(order));
    ASSERT_EQ(a.Includes(b), ModelIncludes(ma, mb));
    ++seen[order];
  }
  // The generator must exercise every outcome, or the test proves little.
  EXPECT_EQ(seen.size(), 4u);
  for (const auto& [order, count] : seen)
    EXPECT_GT(count, 100) << PclOrderName(order);
}

TEST(PclPropertyTest, MergeIsTheLeastUpperBound) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < kCases; ++i) {
    const Model ma = RandomModel(rng), mb = RandomModel(rng),
                mc = RandomModel(rng);
    const Pcl a = FromModel(ma), b = FromModel(mb), c = FromModel(mc);
    Pcl m = a;
    ASSERT_TRUE(m.MergeFrom(b).ok());
    // An upper bound...
    ASSERT_TRUE(m.Includes(a));
    ASSERT_TRUE(m.Includes(b));
    // ...made only of what the inputs hold (PCL_X is a subset of A ∪ B)...
    for (const Xid& x : m.entries()) {
      const Xid* from_a = a.Find(x.namespace_guid());
      const Xid* from_b = b.Find(x.namespace_guid());
      ASSERT_TRUE((from_a && *from_a == x) || (from_b && *from_b == x));
    }
    // ...and the least: whatever includes both includes the merge.
    if (c.Includes(a) && c.Includes(b)) {
      ASSERT_TRUE(c.Includes(m));
    }
    // Merge is commutative and idempotent.
    Pcl m2 = b;
    ASSERT_TRUE(m2.MergeFrom(a).ok());
    ASSERT_EQ(m, m2);
    Pcl m3 = m;
    ASSERT_TRUE(m3.MergeFrom(a).ok());
    ASSERT_EQ(m3, m);
  }
}

TEST(PclPropertyTest, LeastUpperBoundOverSupersets) {
  // Enumerate candidates directly: every c with c >= a and c >= b includes m.
  std::mt19937_64 rng(11);
  for (int i = 0; i < 500; ++i) {
    const Model ma = RandomModel(rng), mb = RandomModel(rng);
    Pcl m = FromModel(ma);
    ASSERT_TRUE(m.MergeFrom(FromModel(mb)).ok());
    Model bumped = ma;
    for (const auto& [g, v] : mb) bumped[g] = std::max(bumped[g], v);
    ASSERT_EQ(m, FromModel(bumped));
  }
}

TEST(PclPropertyTest, EncodingRoundTripsAndIsCanonical) {
  std::mt19937_64 rng(3);
  for (int i = 0; i < kCases; ++i) {
    Pcl pcl;
    std::vector<Xid> order;
    for (const Guid& g : Universe()) {
      if (rng() % 2) continue;
      const size_t size = 1 + rng() % 8;
      const uint64_t value =
          rng() & (size == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * size)) - 1);
      order.push_back(X(g, value, size));
    }
    std::shuffle(order.begin(), order.end(), rng);
    std::string shuffled_wire;
    for (const Xid& x : order) {
      ASSERT_TRUE(pcl.Raise(x).ok());
      x.AppendSizedTo(&shuffled_wire);
    }
    const std::string wire = pcl.Encode();
    ASSERT_EQ(Pcl::Decode(Span(wire)).value(), pcl);
    // Any record order decodes to the same PCL, which encodes the same bytes.
    const Pcl from_shuffled = Pcl::Decode(Span(shuffled_wire)).value();
    ASSERT_EQ(from_shuffled, pcl);
    ASSERT_EQ(from_shuffled.Encode(), wire);
  }
}

}  // namespace
}  // namespace ioreplication
