// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Links libioreplication.so the way a host does: only what the library
// exports is reachable, so a missing IOREPL_EXPORT fails to link here.

#include "gtest/gtest.h"
#include "ioreplication/acl.h"
#include "ioreplication/clock.h"
#include "ioreplication/folder.h"
#include "ioreplication/globset.h"
#include "ioreplication/guid.h"
#include "ioreplication/ids.h"
#include "ioreplication/idset.h"
#include "ioreplication/item.h"
#include "ioreplication/pcl.h"
#include "ioreplication/version.h"
#include "ioreplication/xid.h"

namespace ioreplication {
namespace {

TEST(SharedLibraryTest, EveryCoreTypeIsUsable) {
  const Guid g = Guid::Parse("{00112233-4455-6677-8899-AABBCCDDEEFF}").value();
  const ChangeNumber cn(g, GlobCnt::FromValue(0x123).value());
  Pcl pcl;
  ASSERT_TRUE(pcl.Raise(cn).ok());
  const std::string wire = pcl.Encode();
  const Pcl back =
      Pcl::Decode({reinterpret_cast<const uint8_t*>(wire.data()), wire.size()})
          .value();
  EXPECT_EQ(back.Compare(pcl), PclOrder::kEqual);
  EXPECT_EQ(PclOrderName(PclOrder::kNewer), "newer");
  EXPECT_EQ(Xid::FromGlobCnt(g, cn.counter()).ToString(), cn.ToString());

  IdSet seen;
  seen.Insert(g, cn.counter());
  ReplIdSet local;
  local.Insert(1, cn.counter());
  EXPECT_EQ(IdSet::Parse(seen.ToString()).value(), seen);
  EXPECT_EQ(ReplIdSet::Decode(
                {reinterpret_cast<const uint8_t*>(local.Encode().data()),
                 local.Encode().size()})
                .value()
                .Count(),
            1u);
  EXPECT_EQ(ShortId(1, cn.counter()).ToUint64(), 0x2301000000000001u);
  EXPECT_EQ(GlobSet::Parse("1-3").value().Count(), 3u);

  Item item;
  item.message_class = "IPM.Post";
  ASSERT_TRUE(
      item.properties.Set(PropTag(0x0037, PropType::kString), std::string("Hi"))
          .ok());
  EXPECT_TRUE(ValidateItem(item).ok());
  EXPECT_FALSE(ValidateFolderName("a/b").ok());
  Acl acl;
  EXPECT_TRUE(acl.Set("Default", rights::kReviewer).ok());

  Clock clock;
  const FileTime first = clock.Now();
  EXPECT_LT(first, clock.Now());
  EXPECT_GE(IOREPL_VERSION_NUMBER, 100);
}

}  // namespace
}  // namespace ioreplication
