// Feature flags strings. km is typed against en: a missing or extra key fails the type check.
const en = {
  title: "Feature flags",
};

const km: typeof en = {
  title: "មុខងារសាកល្បង",
};

export const flags = { en, km };
