// Audit log strings. km is typed against en: a missing or extra key fails the type check.
const en = {
  title: "Audit log",
};

const km: typeof en = {
  title: "កំណត់ហេតុសវនកម្ម",
};

export const audit = { en, km };
