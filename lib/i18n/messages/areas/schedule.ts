// Job schedules in words (lib/schedule-words.ts, /admin/jobs). km is typed against en.
const en = {
  everyMinute: "Every minute",
  everyMinutes: "Every {count} minutes",
  hourly: "Every hour, at {minute} minutes past",
  daily: "Every day at {time} ({zone})",
  custom: "On a custom schedule",
};

const km: typeof en = {
  everyMinute: "រៀងរាល់នាទី",
  everyMinutes: "រៀងរាល់ {count} នាទីម្ដង",
  hourly: "រៀងរាល់ម៉ោង នៅនាទីទី {minute}",
  daily: "រៀងរាល់ថ្ងៃ នៅម៉ោង {time} ({zone})",
  custom: "តាមកាលវិភាគពិសេស",
};

export const schedule = { en, km };
