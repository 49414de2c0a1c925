// Users with their wallets and roles, for the admin's role management.
import { sql } from "drizzle-orm";
import type { Role } from "../db/schema.ts";
import type { Executor } from "../pricing/executor.ts";

export type AdminUserRow = {
  id: string;
  displayName: string | null;
  wallets: string[];
  roles: Role[];
  createdAt: Date;
};

export async function listUsersWithRoles(db: Executor, limit = 200): Promise<AdminUserRow[]> {
  const result = await db.execute<{
    id: string;
    display_name: string | null;
    wallets: string[] | null;
    roles: Role[] | null;
    created_at: Date;
  }>(
    sql`select u.id::text as id, u.display_name, u.created_at,
               (select array_agg(w.address order by w.linked_at) from commerce.wallets w where w.user_id = u.id) as wallets,
               (select array_agg(r.role order by r.role) from commerce.user_roles r where r.user_id = u.id) as roles
        from commerce.users u where u.deleted_at is null
        order by (select count(*) from commerce.user_roles r where r.user_id = u.id and r.role <> 'shopper') desc,
                 u.created_at desc
        limit ${limit}`,
  );
  return result.rows.map((r) => ({
    id: r.id,
    displayName: r.display_name,
    wallets: r.wallets ?? [],
    roles: r.roles ?? [],
    createdAt: new Date(r.created_at),
  }));
}
