import "server-only";
import type { z } from "zod";
import { platformDb } from "@/server/db/platform-db";
import type { listTenantsSchema } from "@/lib/schemas/admin";

export interface TenantAdminRow {
  id: string;
  slug: string;
  name: string;
  status: "active" | "suspended";
  createdAt: Date;
  members: number;
}

/** The admin console's view across tenants (platform handle). */
export class TenantAdminService {
  async list(input: z.output<typeof listTenantsSchema>): Promise<{ items: TenantAdminRow[]; nextCursor: string | null }> {
    const rows = await platformDb.run((tx) =>
      tx.tenant.findMany({
        where: {
          status: input.status,
          ...(input.search
            ? { OR: [{ slug: { contains: input.search, mode: "insensitive" } }, { name: { contains: input.search, mode: "insensitive" } }] }
            : {}),
        },
        select: { id: true, slug: true, name: true, status: true, createdAt: true, _count: { select: { memberships: true } } },
        orderBy: { id: "desc" },
        take: input.limit + 1,
        ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
      }),
    );
    const page = rows.slice(0, input.limit);
    return {
      items: page.map(({ _count, ...t }) => ({ ...t, members: _count.memberships })),
      nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
    };
  }
}
