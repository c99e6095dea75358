// the operator console: the translator and the tRPC client (the root layout gives none)
export { default } from "@/server/core/app-providers";
