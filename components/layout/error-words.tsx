"use client";
import { createContext, useContext, type ReactNode } from "react";

/** The words of the error boundaries' panel (./error-panel.tsx), translated on the server; `reference` holds `{ref}`. */
export interface ErrorWords {
  title: string;
  body: string;
  reference: string;
  tryAgain: string;
}

const Words = createContext<ErrorWords | null>(null);

/**
 * Gives the error panel its words from the root layout: an error boundary is a client component that
 * cannot be handed props from the server, and the workspace home loads no translator (issue 17).
 */
export function ErrorWordsProvider({ words, children }: { words: ErrorWords; children: ReactNode }) {
  return <Words.Provider value={words}>{children}</Words.Provider>;
}

/** The panel's words (a panel outside the root layout fails to the global error page, which has its own). */
export function useErrorWords(): ErrorWords {
  const words = useContext(Words);
  if (!words) throw new Error("ErrorPanel renders under the root layout's ErrorWordsProvider");
  return words;
}
