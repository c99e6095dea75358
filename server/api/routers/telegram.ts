import { z } from "zod";
import { renterIdSchema } from "@/lib/schemas/renters";
import { RENTER_MESSAGE_CHANNEL_VALUES } from "@/lib/enums";
import { TelegramLinkService } from "@/server/notifications/telegram-link";
import { TelegramBotSettingsService } from "@/server/notifications/telegram-bot-settings";
import { createTRPCRouter, withPermission } from "../trpc";

// A renter's Telegram link and message channel, on the renter page (docs/TELEGRAM.md).
const view = withPermission("renters.view");
const manage = withPermission("renters.manage");
// the workspace's own bot (Settings > Telegram): only those who change the workspace's settings
const settings = withPermission("workspace.settings");

export const telegramRouter = createTRPCRouter({
  status: view.input(renterIdSchema).query(({ ctx, input }) => new TelegramLinkService(ctx.tenant).status(input.renterId)),
  createLink: manage.input(renterIdSchema).mutation(({ ctx, input }) => new TelegramLinkService(ctx.tenant).createLink(input.renterId)),
  unlink: manage.input(renterIdSchema).mutation(({ ctx, input }) => new TelegramLinkService(ctx.tenant).unlink(input.renterId)),
  setChannel: manage
    .input(renterIdSchema.extend({ channel: z.enum(RENTER_MESSAGE_CHANNEL_VALUES) }))
    .mutation(({ ctx, input }) => new TelegramLinkService(ctx.tenant).setChannel(input.renterId, input.channel)),
  botSettings: settings.query(({ ctx }) => new TelegramBotSettingsService(ctx.tenant).get()),
  saveBot: settings
    .input(z.object({ token: z.string().trim().min(1).max(200) }))
    .mutation(({ ctx, input }) => new TelegramBotSettingsService(ctx.tenant).save(input.token)),
  removeBot: settings.mutation(({ ctx }) => new TelegramBotSettingsService(ctx.tenant).remove()),
});
