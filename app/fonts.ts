import localFont from "next/font/local";

// Bundled from npm (no Google Fonts download at build time): Inter for Latin, Noto Sans Khmer.
// Each face says which characters it has (unicode-range), so a page downloads only the faces its
// text uses, and only the files a page needs at once are preloaded (every page's first load on a
// phone shares the link with its JavaScript). Inter is its Latin subset (48 KB): the latin-ext
// file (85 KB) had the same descriptors, so it shadowed the Latin one and was preloaded for the
// few accented names it covers, which now fall back to the system font. (next/font needs the
// values written out here as literals.)

export const inter = localFont({
  src: [{ path: "../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2", weight: "100 900", style: "normal" }],
  variable: "--font-inter",
  display: "swap",
  declarations: [
    {
      prop: "unicode-range",
      value:
        "U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, U+0308, U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD",
    },
  ],
});

export const khmer = localFont({
  src: [
    { path: "../node_modules/@fontsource/noto-sans-khmer/files/noto-sans-khmer-khmer-400-normal.woff2", weight: "400", style: "normal" },
    { path: "../node_modules/@fontsource/noto-sans-khmer/files/noto-sans-khmer-khmer-700-normal.woff2", weight: "700", style: "normal" },
  ],
  variable: "--font-khmer",
  display: "swap",
  declarations: [{ prop: "unicode-range", value: "U+1780-17FF, U+19E0-19FF, U+200B-200C, U+25CC" }],
});
