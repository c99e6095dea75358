import type { IncomingMessage, ServerResponse } from "node:http";

export interface StaticAsset {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
  etag: string;
}
export declare const STATIC_PREFIX: "/_next/static/";
export declare const GZIP_MIN_BYTES: number;
export declare function acceptsGzip(header: string | undefined): boolean;
export declare function loadStaticAssets(staticDir: string): Map<string, StaticAsset>;
export declare function serveStaticAsset(req: IncomingMessage, res: ServerResponse, assets: Map<string, StaticAsset>): boolean;
