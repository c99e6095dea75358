// A workspace's time zone in words ("Phnom Penh time", "ម៉ោងភ្នំពេញ") instead of its IANA id
// ("Asia/Phnom_Penh"), for the sentences that say which clock a page's times follow. Isomorphic.
import type { Locale } from "@/lib/i18n";

/** The city names of the zones a Cambodian workspace is likely to use, in both languages. */
const CITIES: Record<string, { en: string; km: string }> = {
  "Asia/Phnom_Penh": { en: "Phnom Penh", km: "ភ្នំពេញ" },
  "Asia/Bangkok": { en: "Bangkok", km: "បាងកក" },
  "Asia/Ho_Chi_Minh": { en: "Ho Chi Minh City", km: "ហូជីមិញ" },
  "Asia/Saigon": { en: "Ho Chi Minh City", km: "ហូជីមិញ" },
  "Asia/Vientiane": { en: "Vientiane", km: "វៀងច័ន្ទ" },
  "Asia/Singapore": { en: "Singapore", km: "សិង្ហបុរី" },
  "Asia/Kuala_Lumpur": { en: "Kuala Lumpur", km: "គូឡាឡាំពួ" },
  "Asia/Shanghai": { en: "China", km: "ចិន" },
  "Asia/Seoul": { en: "Seoul", km: "សេអ៊ូល" },
  "Asia/Tokyo": { en: "Tokyo", km: "តូក្យូ" },
  "Australia/Sydney": { en: "Sydney", km: "ស៊ីដនី" },
  "Europe/London": { en: "London", km: "ឡុងដ៍" },
  "Europe/Paris": { en: "Paris", km: "ប៉ារីស" },
  "America/New_York": { en: "New York", km: "ញូវយ៉ក" },
  "America/Los_Angeles": { en: "Los Angeles", km: "ឡូសអេនជឺលេស" },
};

/** "Phnom Penh time" / "ម៉ោងភ្នំពេញ"; UTC as "UTC"; an unlisted zone by its city ("Asia/Yangon" → "Yangon time"). */
export function timeZoneLabel(timeZone: string, locale: Locale | string): string {
  if (timeZone === "UTC" || timeZone === "Etc/UTC") return "UTC";
  const known = CITIES[timeZone];
  const city = known ? (locale === "km" ? known.km : known.en) : (timeZone.split("/").pop() ?? timeZone).replace(/_/g, " ");
  return locale === "km" ? `ម៉ោង${city}` : `${city} time`;
}
