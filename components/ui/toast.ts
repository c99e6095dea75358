"use client";
import type { Notyf } from "notyf";

// One toast helper for the result of every mutation (Notyf), created lazily in the browser.
// One instance for the page: the promise is kept, so toasts asked for while Notyf still loads share
// it (keeping the instance only after the import made one Notyf container per early toast).
let notyf: Promise<Notyf> | undefined;

function instance(): Promise<Notyf> {
  notyf ??= import("notyf").then(
    ({ Notyf }) => new Notyf({ duration: 4000, dismissible: true, position: { x: "right", y: "top" }, ripple: false }),
    (error: unknown) => {
      notyf = undefined; // a chunk that failed to load is asked for again by the next toast
      throw error;
    },
  );
  return notyf;
}

export const toast = {
  success(message: string): void {
    void instance().then((n) => n.success(message));
  },
  error(message: string): void {
    void instance().then((n) => n.error({ message, duration: 7000 }));
  },
};
