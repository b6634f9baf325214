// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// VFREEBUSY (RFC 5545 sections 3.6.4, 3.8.2.6, 3.3.9) to and from a
// free/busy message.

#include "ioreplication/freebusy_ical.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "core/text.h"
#include "core/utf8.h"
#include "ioreplication/recipient.h"

namespace ioreplication {
namespace {

using core_internal::Sv;

// ---- Rendering ----

std::string UtcText(absl::Time t) {
  return absl::FormatTime("%Y%m%dT%H%M%SZ", t, absl::UTCTimeZone());
}

std::string MinuteText(int64_t minutes) {
  return UtcText(FromFreeBusyMinutes(minutes));
}

// Appends `line` folded at 75 octets, never inside a UTF-8 character.
void AppendFolded(std::string_view line, std::string& out) {
  size_t limit = 75;
  while (line.size() > limit) {
    size_t cut = limit;
    while (cut > 1 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    out.append(line.substr(0, cut));
    out.append("\r\n ");
    line.remove_prefix(cut);
    limit = 74;  // the leading space counts
  }
  out.append(line);
  out.append("\r\n");
}

// A parameter value: quoted when it holds ':', ';' or ','; a '"' (which no
// parameter value may hold) becomes '\''; control characters other than
// tab are dropped.
std::string ParamValue(std::string_view text) {
  std::string v;
  for (char c : text) {
    if (c == '"') {
      v.push_back('\'');
    } else if ((static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) ||
               c == '\t') {
      v.push_back(c);
    }
  }
  if (v.find_first_of(":;,") != std::string::npos)
    v = absl::StrCat("\"", v, "\"");
  return v;
}

}  // namespace

std::string RenderVFreeBusy(const FreeBusyMessage& m) {
  std::vector<std::string> lines = {
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//ioreplication//iorepl//EN",
      "METHOD:PUBLISH",
      "BEGIN:VFREEBUSY",
      absl::StrCat("DTSTAMP:", UtcText(m.range_timestamp.ToAbslTime())),
      absl::StrCat("UID:freebusy-", SmtpAddressKey(m.smtp_address)),
  };
  lines.push_back(absl::StrCat(
      "ORGANIZER",
      m.display_name.empty() ? ""
                             : absl::StrCat(";CN=", ParamValue(m.display_name)),
      ":mailto:", m.smtp_address));
  lines.push_back(absl::StrCat("DTSTART:", MinuteText(m.publish_start)));
  lines.push_back(absl::StrCat("DTEND:", MinuteText(m.publish_end)));
  for (const auto& [type, intervals] :
       {std::pair{"BUSY", &m.busy}, std::pair{"BUSY-TENTATIVE", &m.tentative},
        std::pair{"BUSY-UNAVAILABLE", &m.out_of_office}}) {
    if (intervals->empty()) continue;
    std::vector<std::string> periods;
    periods.reserve(intervals->size());
    for (const FreeBusyInterval& i : *intervals) {
      periods.push_back(
          absl::StrCat(MinuteText(i.start), "/", MinuteText(i.end)));
    }
    lines.push_back(absl::StrCat("FREEBUSY;FBTYPE=", type, ":",
                                 absl::StrJoin(periods, ",")));
  }
  lines.push_back("END:VFREEBUSY");
  lines.push_back("END:VCALENDAR");
  std::string out;
  for (const std::string& line : lines) AppendFolded(line, out);
  return out;
}

namespace {

// ---- Parsing ----

struct ContentLine {
  size_t number = 0;  // the first physical line, from 1
  std::string name;   // upper-cased
  std::vector<std::pair<std::string, std::string>> params;  // NAME, value
  std::string value;

  const std::string* Param(std::string_view key) const {
    for (const auto& [k, v] : params) {
      if (k == key) return &v;
    }
    return nullptr;
  }
};

absl::Status LineError(size_t line, std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("VFREEBUSY: line ", line, ": ", Sv(what)));
}

bool IsNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-';
}

absl::StatusOr<ContentLine> ParseContentLine(size_t number,
                                             std::string_view text) {
  ContentLine line;
  line.number = number;
  size_t i = 0;
  while (i < text.size() && IsNameChar(text[i])) ++i;
  if (i == 0) return LineError(number, "a line without a property name");
  line.name = absl::AsciiStrToUpper(Sv(text.substr(0, i)));
  while (i < text.size() && text[i] == ';') {
    ++i;
    const size_t name_start = i;
    while (i < text.size() && IsNameChar(text[i])) ++i;
    if (i == name_start || i >= text.size() || text[i] != '=') {
      return LineError(number,
                       absl::StrCat("a malformed parameter of ", line.name));
    }
    std::string key =
        absl::AsciiStrToUpper(Sv(text.substr(name_start, i - name_start)));
    ++i;
    std::string value;
    if (i < text.size() && text[i] == '"') {
      const size_t close = text.find('"', i + 1);
      if (close == std::string_view::npos) {
        return LineError(number, absl::StrCat("an unclosed quote in ",
                                              line.name, "'s ", key));
      }
      value = std::string(text.substr(i + 1, close - i - 1));
      i = close + 1;
    } else {
      const size_t start = i;
      while (i < text.size() && text[i] != ';' && text[i] != ':' &&
             text[i] != '"') {
        ++i;
      }
      value = std::string(text.substr(start, i - start));
    }
    line.params.emplace_back(std::move(key), std::move(value));
  }
  if (i >= text.size() || text[i] != ':') {
    return LineError(number, absl::StrCat("no ':' after ", line.name));
  }
  line.value = std::string(text.substr(i + 1));
  return line;
}

// Unfolds and splits `text` into content lines.
absl::StatusOr<std::vector<ContentLine>> ContentLines(std::string_view text) {
  std::vector<ContentLine> lines;
  std::string current;
  size_t current_number = 0;
  size_t number = 1;
  auto flush = [&]() -> absl::Status {
    if (current_number != 0 && !current.empty()) {
      absl::StatusOr<ContentLine> line =
          ParseContentLine(current_number, current);
      if (!line.ok()) return line.status();
      lines.push_back(*std::move(line));
    }
    current.clear();
    current_number = 0;
    return absl::OkStatus();
  };
  size_t i = 0;
  while (i <= text.size()) {
    const size_t end = std::min(text.find('\n', i), text.size());
    std::string_view physical = text.substr(i, end - i);
    if (!physical.empty() && physical.back() == '\r') physical.remove_suffix(1);
    if (physical.find('\r') != std::string_view::npos) {
      return LineError(number, "a carriage return without a line feed");
    }
    for (char c : physical) {
      const unsigned char u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t') || u == 0x7F) {
        return LineError(number, "a control character");
      }
    }
    if (!physical.empty() && (physical[0] == ' ' || physical[0] == '\t') &&
        current_number != 0) {
      current.append(physical.substr(1));  // a continuation
    } else {
      if (absl::Status s = flush(); !s.ok()) return s;
      current = std::string(physical);
      current_number = number;
    }
    ++number;
    if (end == text.size()) break;
    i = end + 1;
  }
  if (absl::Status s = flush(); !s.ok()) return s;
  return lines;
}

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

int Number(std::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

// "YYYYMMDDTHHMMSSZ", or "YYYYMMDD" (midnight UTC).
absl::StatusOr<absl::Time> ParseUtc(const ContentLine& line,
                                    std::string_view text) {
  const bool date = text.size() == 8;
  const bool utc = text.size() == 16 && text[8] == 'T' && text[15] == 'Z';
  if (!date && !utc) {
    if (text.size() == 15 && text[8] == 'T') {
      return LineError(line.number,
                       absl::StrCat(line.name, ": \"", Sv(text),
                                    "\" is a local time; free/busy times "
                                    "must be UTC (ending in Z)"));
    }
    return LineError(line.number, absl::StrCat(line.name, ": \"", Sv(text),
                                               "\" is not a UTC date-time"));
  }
  if (!AllDigits(text.substr(0, 8)) || (utc && !AllDigits(text.substr(9, 6)))) {
    return LineError(line.number, absl::StrCat(line.name, ": \"", Sv(text),
                                               "\" is not a UTC date-time"));
  }
  const int y = Number(text.substr(0, 4)), mo = Number(text.substr(4, 2)),
            d = Number(text.substr(6, 2));
  const int h = utc ? Number(text.substr(9, 2)) : 0,
            mi = utc ? Number(text.substr(11, 2)) : 0,
            s = utc ? Number(text.substr(13, 2)) : 0;
  const absl::CivilSecond civil(y, mo, d, h, mi, s);
  if (civil.year() != y || civil.month() != mo || civil.day() != d ||
      civil.hour() != h || civil.minute() != mi || civil.second() != s) {
    return LineError(line.number, absl::StrCat(line.name, ": \"", Sv(text),
                                               "\" is not a valid date"));
  }
  if (y < 1601) {
    return LineError(line.number, absl::StrCat(line.name, ": \"", Sv(text),
                                               "\" is before 1601"));
  }
  return absl::FromCivil(civil, absl::UTCTimeZone());
}

// A non-negative duration: "P2W", "P1DT2H", "PT15M" ...
absl::StatusOr<absl::Duration> ParseDuration(const ContentLine& line,
                                             std::string_view text) {
  const std::string_view original = text;
  auto bad = [&](std::string_view why) {
    return LineError(line.number, absl::StrCat(line.name, ": duration \"",
                                               Sv(original), "\" ", Sv(why)));
  };
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  if (!text.empty() && text[0] == '-') return bad("is negative");
  if (text.empty() || text[0] != 'P') return bad("does not start with P");
  text.remove_prefix(1);
  absl::Duration total;
  bool in_time = false, any = false;
  while (!text.empty()) {
    if (text[0] == 'T') {
      if (in_time) return bad("has two T");
      in_time = true;
      text.remove_prefix(1);
      continue;
    }
    size_t n = 0;
    while (n < text.size() &&
           absl::ascii_isdigit(static_cast<unsigned char>(text[n])))
      ++n;
    if (n == 0 || n > 9 || n == text.size()) return bad("is malformed");
    const int64_t value = Number(text.substr(0, n));
    const char unit = text[n];
    text.remove_prefix(n + 1);
    if (!in_time && unit == 'W') {
      total += absl::Hours(24 * 7 * value);
    } else if (!in_time && unit == 'D') {
      total += absl::Hours(24 * value);
    } else if (in_time && unit == 'H') {
      total += absl::Hours(value);
    } else if (in_time && unit == 'M') {
      total += absl::Minutes(value);
    } else if (in_time && unit == 'S') {
      total += absl::Seconds(value);
    } else {
      return bad("is malformed");
    }
    any = true;
  }
  if (!any) return bad("is empty");
  return total;
}

absl::StatusOr<int64_t> Minutes(const ContentLine& line, absl::Time t,
                                bool ceil) {
  const int64_t m = ceil ? FreeBusyMinutesCeil(t) : FreeBusyMinutes(t);
  if (m > kFreeBusyMaxMinute) {
    return LineError(line.number, absl::StrCat(line.name,
                                               ": a time after what free/busy "
                                               "data can hold (year 5684)"));
  }
  return m;
}

// The SMTP address of a "mailto:" URI.
absl::StatusOr<std::string> MailtoAddress(const ContentLine& line) {
  if (!absl::StartsWithIgnoreCase(line.value, "mailto:")) {
    return LineError(line.number, absl::StrCat(line.name, ": \"", line.value,
                                               "\" is not a mailto: URI"));
  }
  std::string address = line.value.substr(7);
  if (absl::Status s = ValidateSmtpAddress(address); !s.ok()) {
    return LineError(line.number, absl::StrCat(line.name, ": ", s.message()));
  }
  return address;
}

struct Parsed {
  // DTSTART and DTEND in minutes (start rounded down, end up); DTSTAMP.
  std::optional<int64_t> start, end;
  std::optional<absl::Time> stamp;
  const ContentLine* organizer = nullptr;
  std::vector<const ContentLine*> attendees;
  std::vector<const ContentLine*> periods;
};

absl::Status Once(const ContentLine& line, bool already) {
  return already
             ? LineError(line.number, absl::StrCat(line.name, " appears twice"))
             : absl::OkStatus();
}

}  // namespace

absl::StatusOr<FreeBusyMessage> ParseVFreeBusy(std::string_view text) {
  if (text.size() > kMaxICalendarBytes) {
    return absl::OutOfRangeError(absl::StrCat(
        "VFREEBUSY text of ", text.size(), " bytes is longer than the ",
        kMaxICalendarBytes >> 20, " MiB an iCalendar file may hold"));
  }
  if (absl::Status s = core_internal::ValidateUtf8(text, "VFREEBUSY");
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::vector<ContentLine>> lines = ContentLines(text);
  if (!lines.ok()) return lines.status();
  if (lines->empty() || (*lines)[0].name != "BEGIN" ||
      !absl::EqualsIgnoreCase((*lines)[0].value, "VCALENDAR")) {
    return absl::InvalidArgumentError(
        "VFREEBUSY: the text does not start with BEGIN:VCALENDAR");
  }
  std::vector<std::string> stack;
  Parsed p;
  size_t freebusy_count = 0;
  bool ended = false;
  for (const ContentLine& line : *lines) {
    if (ended) {
      return LineError(line.number, "text after END:VCALENDAR");
    }
    if (line.name == "BEGIN") {
      std::string component = absl::AsciiStrToUpper(line.value);
      if (!stack.empty() && stack.back() == "VFREEBUSY") {
        return LineError(line.number,
                         absl::StrCat("a ", component, " inside VFREEBUSY"));
      }
      if (component == "VFREEBUSY") {
        if (stack.size() != 1) {
          return LineError(line.number, "VFREEBUSY not directly in VCALENDAR");
        }
        if (++freebusy_count > 1) {
          return LineError(line.number,
                           "a second VFREEBUSY (one user per calendar)");
        }
      }
      stack.push_back(std::move(component));
      continue;
    }
    if (line.name == "END") {
      if (stack.empty() || !absl::EqualsIgnoreCase(stack.back(), line.value)) {
        return LineError(
            line.number,
            absl::StrCat("END:", line.value, " does not close ",
                         stack.empty() ? "anything" : stack.back()));
      }
      stack.pop_back();
      ended = stack.empty();
      continue;
    }
    if (stack.empty() || stack.back() != "VFREEBUSY") continue;
    if (line.name == "DTSTART" || line.name == "DTEND" ||
        line.name == "DTSTAMP") {
      const bool stamp = line.name == "DTSTAMP";
      std::optional<int64_t>& minute = line.name == "DTSTART" ? p.start : p.end;
      if (absl::Status s =
              Once(line, stamp ? p.stamp.has_value() : minute.has_value());
          !s.ok()) {
        return s;
      }
      // A TZID beside a time ending in Z (python-icalendar writes TZID=UTC
      // so) changes nothing; a local time is refused by ParseUtc.
      absl::StatusOr<absl::Time> t = ParseUtc(line, line.value);
      if (!t.ok()) return t.status();
      if (stamp) {
        p.stamp = *t;
        continue;
      }
      absl::StatusOr<int64_t> m = Minutes(line, *t, line.name == "DTEND");
      if (!m.ok()) return m.status();
      minute = *m;
    } else if (line.name == "ORGANIZER") {
      if (absl::Status s = Once(line, p.organizer != nullptr); !s.ok()) {
        return s;
      }
      p.organizer = &line;
    } else if (line.name == "ATTENDEE") {
      p.attendees.push_back(&line);
    } else if (line.name == "FREEBUSY") {
      p.periods.push_back(&line);
    }
  }
  if (!ended) {
    return absl::InvalidArgumentError(
        absl::StrCat("VFREEBUSY: ", stack.empty() ? "VCALENDAR" : stack.back(),
                     " is not closed"));
  }
  if (freebusy_count == 0) {
    return absl::InvalidArgumentError("VFREEBUSY: the calendar has none");
  }

  FreeBusyMessage m;
  const ContentLine* user = p.organizer;
  if (user == nullptr) {
    if (p.attendees.size() != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("VFREEBUSY: no ORGANIZER, and ", p.attendees.size(),
                       " ATTENDEEs: whose free/busy this is is unclear"));
    }
    user = p.attendees[0];
  }
  absl::StatusOr<std::string> address = MailtoAddress(*user);
  if (!address.ok()) return address.status();
  m.smtp_address = *std::move(address);
  if (const std::string* cn = user->Param("CN")) m.display_name = *cn;
  if (!p.stamp) {
    return absl::InvalidArgumentError(
        "VFREEBUSY: no DTSTAMP (RFC 5545 requires it; it says when the data "
        "was published)");
  }
  m.range_timestamp = FileTime::FromAbslTime(*p.stamp);

  std::vector<FreeBusyInterval> busy, tentative, away;
  for (const ContentLine* line : p.periods) {
    const std::string* fbtype = line->Param("FBTYPE");
    const std::string type =
        fbtype != nullptr ? absl::AsciiStrToUpper(*fbtype) : "BUSY";
    if (type == "FREE") continue;
    std::vector<FreeBusyInterval>& into =
        type == "BUSY-TENTATIVE" ? tentative
                                 : (type == "BUSY-UNAVAILABLE" ? away : busy);
    std::string_view rest = line->value;
    while (true) {
      const size_t comma = std::min(rest.find(','), rest.size());
      const std::string_view period = rest.substr(0, comma);
      const size_t slash = period.find('/');
      if (slash == std::string_view::npos) {
        return LineError(line->number,
                         absl::StrCat("FREEBUSY: \"", Sv(period),
                                      "\" is not a start/end period"));
      }
      absl::StatusOr<absl::Time> start =
          ParseUtc(*line, period.substr(0, slash));
      if (!start.ok()) return start.status();
      const std::string_view second = period.substr(slash + 1);
      absl::StatusOr<absl::Time> end;
      if (!second.empty() &&
          (second[0] == 'P' || second[0] == '+' || second[0] == '-')) {
        absl::StatusOr<absl::Duration> d = ParseDuration(*line, second);
        if (!d.ok()) return d.status();
        end = *start + *d;
      } else {
        end = ParseUtc(*line, second);
      }
      if (!end.ok()) return end.status();
      if (*end <= *start) {
        return LineError(line->number,
                         absl::StrCat("FREEBUSY: the period \"", Sv(period),
                                      "\" does not end after it starts"));
      }
      absl::StatusOr<int64_t> a = Minutes(*line, *start, false);
      absl::StatusOr<int64_t> b = Minutes(*line, *end, true);
      if (!a.ok()) return a.status();
      if (!b.ok()) return b.status();
      into.push_back({*a, *b});
      if (comma == rest.size()) break;
      rest.remove_prefix(comma + 1);
    }
  }

  if (p.start.has_value() != p.end.has_value()) {
    return absl::InvalidArgumentError(
        "VFREEBUSY: DTSTART and DTEND come together or not at all");
  }
  if (p.start) {
    if (*p.end <= *p.start) {
      return absl::InvalidArgumentError(
          "VFREEBUSY: DTEND is not after DTSTART");
    }
    m.publish_start = *p.start;
    m.publish_end = *p.end;
  } else {
    bool any = false;
    for (const auto* list : {&busy, &tentative, &away}) {
      for (const FreeBusyInterval& i : *list) {
        m.publish_start = any ? std::min(m.publish_start, i.start) : i.start;
        m.publish_end = any ? std::max(m.publish_end, i.end) : i.end;
        any = true;
      }
    }
    if (!any) {
      return absl::InvalidArgumentError(
          "VFREEBUSY: no DTSTART/DTEND and no busy periods: nothing says "
          "which range the data covers");
    }
  }
  // Periods are clipped to the published range.
  auto clip = [&](std::vector<FreeBusyInterval> in) {
    std::vector<FreeBusyInterval> out;
    for (FreeBusyInterval i : in) {
      i.start = std::max(i.start, m.publish_start);
      i.end = std::min(i.end, m.publish_end);
      if (i.start < i.end) out.push_back(i);
    }
    return NormalizeFreeBusyIntervals(std::move(out));
  };
  m.busy = clip(std::move(busy));
  m.tentative = clip(std::move(tentative));
  m.out_of_office = clip(std::move(away));
  const absl::CivilMonth first = absl::ToCivilMonth(
      FromFreeBusyMinutes(m.publish_start), absl::UTCTimeZone());
  const absl::CivilMinute last = absl::ToCivilMinute(
      FromFreeBusyMinutes(m.publish_end), absl::UTCTimeZone());
  int64_t months = absl::CivilMonth(last) - first;
  if (last != absl::CivilMinute(absl::CivilMonth(last))) ++months;
  m.count_months = static_cast<int32_t>(std::clamp<int64_t>(months, 1, 36));
  return m;
}

}  // namespace ioreplication
