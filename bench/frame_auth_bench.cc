// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Sealing and opening a replication message's frame (src/repl/frame_auth.h):
// HMAC-SHA256 with a shared key against an Ed25519 signature, at a small
// status message's size and at the default bound of 300 KB.

#include <string>

#include "benchmark/benchmark.h"
#include "ioreplication/guid.h"
#include "repl/frame_auth.h"
#include "repl/message_frame.h"

namespace ioreplication::repl_internal {
namespace {

const std::string kSeed(32, '\x2a');

FrameAuth Sealer(bool signed_frames) {
  return signed_frames ? FrameAuth::Ed25519Signer(kSeed).value()
                       : FrameAuth::Hmac("a-shared-key-of-the-group");
}

FrameAuth Opener(bool signed_frames) {
  return signed_frames
             ? FrameAuth::Ed25519Verifier(Ed25519PublicKeyOf(kSeed).value()).value()
             : FrameAuth::Hmac("a-shared-key-of-the-group");
}

void BM_Seal(benchmark::State& state) {
  const FrameAuth auth = Sealer(state.range(1) != 0);
  const std::string body(static_cast<size_t>(state.range(0)), 'b');
  const Guid sender = Guid::Random();
  for (auto _ : state) {
    benchmark::DoNotOptimize(SealMessage(sender, auth, body).value());
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
  state.SetLabel(state.range(1) != 0 ? "Ed25519" : "HMAC-SHA256");
}

void BM_Open(benchmark::State& state) {
  const bool signed_frames = state.range(1) != 0;
  const std::string body(static_cast<size_t>(state.range(0)), 'b');
  const std::string frame =
      SealMessage(Guid::Random(), Sealer(signed_frames), body).value();
  const FrameAuth auth = Opener(signed_frames);
  for (auto _ : state) {
    benchmark::DoNotOptimize(OpenMessage(frame, auth, 1 << 20).value());
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
  state.SetLabel(signed_frames ? "Ed25519" : "HMAC-SHA256");
}

BENCHMARK(BM_Seal)->ArgsProduct({{512, 300 * 1024}, {0, 1}});
BENCHMARK(BM_Open)->ArgsProduct({{512, 300 * 1024}, {0, 1}});

}  // namespace
}  // namespace ioreplication::repl_internal
