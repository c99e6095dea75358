"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { MAX_PHOTOS_PER_PROPERTY } from "@/lib/schemas/properties";
import { FileUpload } from "@/components/files/file-upload";
import { confirmAction } from "@/components/ui/confirm";
import { toast } from "@/components/ui/toast";
import type { RouterOutputs } from "@/lib/trpc/client";

type PropertyPhotoRow = RouterOutputs["properties"]["get"]["photos"][number];

/** The property's public photos: upload (sniffed server-side) then attach, make cover, remove. */
export function PropertyPhotos({
  propertyId,
  propertyName,
  photos,
  canManage,
}: {
  propertyId: string;
  propertyName: string;
  photos: PropertyPhotoRow[];
  canManage: boolean;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.properties.pathKey() });
  const onError = (e: unknown) => toast.error(errorMessage(e, t("errors.errorBody")));
  const add = useMutation(
    trpc.properties.addPhoto.mutationOptions({
      onSuccess: () => {
        toast.success(t("properties.photos.added"));
        void invalidate();
      },
      onError,
    }),
  );
  const remove = useMutation(
    trpc.properties.removePhoto.mutationOptions({
      onSuccess: () => {
        toast.success(t("properties.photos.removed"));
        void invalidate();
      },
      onError,
    }),
  );
  const cover = useMutation(
    trpc.properties.makeCover.mutationOptions({
      onSuccess: () => {
        toast.success(t("properties.photos.coverSet"));
        void invalidate();
      },
      onError,
    }),
  );
  const busy = add.isPending || remove.isPending || cover.isPending;

  async function confirmRemove(photoId: string) {
    const ok = await confirmAction({
      title: t("properties.photos.confirmRemoveTitle"),
      text: t("properties.photos.confirmRemoveText"),
      confirmText: t("properties.photos.remove"),
      cancelText: t("properties.cancel"),
      danger: true,
    });
    if (ok) remove.mutate({ photoId });
  }

  return (
    <div className="space-y-3" data-testid="property-photos">
      {photos.length === 0 ? <p className="text-sm text-slate-500">{t("properties.photos.empty")}</p> : null}
      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
        {photos.map((photo, i) => (
          <li key={photo.id} className="overflow-hidden rounded-lg border border-slate-200 bg-white">
            <a href={photo.url} target="_blank" rel="noreferrer" className="relative block">
              {/* eslint-disable-next-line @next/next/no-img-element -- our own immutable file route */}
              <img
                src={photo.url}
                alt={t("properties.photos.alt", { n: i + 1, name: propertyName })}
                className="aspect-[4/3] w-full object-cover"
                loading="lazy"
              />
              {i === 0 ? (
                <span className="absolute left-2 top-2 rounded-full bg-teal-700 px-2 py-0.5 text-xs font-medium text-white">
                  {t("properties.photos.coverBadge")}
                </span>
              ) : null}
            </a>
            {canManage ? (
              <div className="flex flex-wrap justify-between gap-1 p-1">
                {i > 0 ? (
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => cover.mutate({ photoId: photo.id })}
                    className="rounded-md px-2 py-1 text-xs text-slate-700 hover:bg-slate-100"
                  >
                    {t("properties.photos.makeCover")}
                  </button>
                ) : (
                  <span />
                )}
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => void confirmRemove(photo.id)}
                  className="rounded-md px-2 py-1 text-xs text-red-700 hover:bg-red-50"
                >
                  {t("properties.photos.remove")}
                </button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {canManage ? (
        photos.length < MAX_PHOTOS_PER_PROPERTY ? (
          <FileUpload
            purpose="property_photo"
            label={t("properties.photos.add")}
            disabled={busy}
            quiet
            onUploaded={(f) =>
              add.mutateAsync({ propertyId, fileId: f.id }).then(
                () => undefined,
                () => undefined,
              )
            }
          />
        ) : (
          <p className="text-sm text-slate-500">{t("properties.photos.limit", { max: MAX_PHOTOS_PER_PROPERTY })}</p>
        )
      ) : null}
    </div>
  );
}
