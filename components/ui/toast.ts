"use client";
import type { Notyf } from "notyf";

// One toast helper for the result of every mutation (Notyf), created lazily in the browser.
let notyf: Notyf | undefined;

async function instance(): Promise<Notyf> {
  if (!notyf) {
    const { Notyf } = await import("notyf");
    notyf = new Notyf({ duration: 4000, dismissible: true, position: { x: "right", y: "top" }, ripple: false });
  }
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
