// A C++ host built against an installed ioreplication (the static C++
// library, ioreplication::core).
#include <cstdio>

#include "ioreplication/idset.h"
#include "ioreplication/pcl.h"
#include "ioreplication/version.h"

int main() {
  using namespace ioreplication;
  const Guid g = Guid::Parse("{00112233-4455-6677-8899-AABBCCDDEEFF}").value();
  IdSet seen;
  seen.Insert(g, GlobCnt::FromValue(7).value());
  Pcl a, b;
  if (!a.Raise(ChangeNumber(g, GlobCnt::FromValue(2).value())).ok()) return 1;
  if (!b.Raise(ChangeNumber(g, GlobCnt::FromValue(1).value())).ok()) return 1;
  if (a.Compare(b) != PclOrder::kNewer) return 1;
  std::printf("consumer (C++): ioreplication %s, %s\n", IOREPL_VERSION_STRING,
              seen.ToString().c_str());
  return 0;
}
