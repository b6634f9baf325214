// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// MAPI property tags (MS-OXPROPS) that ioreplication itself reads or
// writes, in one place. Headers for one feature keep that feature's own tags
// (conflict.h, calendar.h); these are the ones several parts share.

#ifndef IOREPLICATION_PROP_TAGS_H_
#define IOREPLICATION_PROP_TAGS_H_

#include "ioreplication/property.h"

namespace ioreplication {

// PidTagSubject: what conflict notices and free/busy messages are titled.
inline constexpr PropTag kPropSubject(0x0037, PropType::kString);
// PidTagNormalizedSubject: the subject without its prefix ("RE: ").
inline constexpr PropTag kPropNormalizedSubject(0x0E1D, PropType::kString);
// PidTagDisplayName.
inline constexpr PropTag kPropDisplayName(0x3001, PropType::kString);
// PidTagSmtpAddress: a contact's or a free/busy user's SMTP address.
inline constexpr PropTag kPropSmtpAddress(0x39FE, PropType::kString);
// PidTagStartDate / PidTagEndDate: an appointment's start and end, where
// the PSETID_Appointment properties (calendar.h) are absent.
inline constexpr PropTag kPropStartDate(0x0060, PropType::kTime);
inline constexpr PropTag kPropEndDate(0x0061, PropType::kTime);

}  // namespace ioreplication

#endif  // IOREPLICATION_PROP_TAGS_H_
