// the translator and the tRPC client (server/core/app-providers.tsx)
export { default } from "@/server/core/app-providers";
