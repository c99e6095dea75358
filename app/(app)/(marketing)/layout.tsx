// the apex's pages (sign-up, sign-in, find my workspace, legal pages): the translator and the tRPC client (the root layout gives none)
export { default } from "@/server/core/app-providers";
