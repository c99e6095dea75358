// Two-factor authentication strings. km is typed against en: a missing or extra key fails the type check.
const en = {
  title: "Two-factor authentication",
};

const km: typeof en = {
  title: "ការផ្ទៀងផ្ទាត់ពីរជំហាន",
};

export const mfa = { en, km };
