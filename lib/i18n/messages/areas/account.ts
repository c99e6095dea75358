// Account page strings. km is typed against en: a missing or extra key fails the type check.
const en = {
  title: "Your account",
};

const km: typeof en = {
  title: "គណនីរបស់អ្នក",
};

export const account = { en, km };
