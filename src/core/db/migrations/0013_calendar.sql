CREATE TABLE "calendar_adjustments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"unit_id" uuid,
	"day" date NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"legal_basis" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_adjustments_unit_day_uq" UNIQUE NULLS NOT DISTINCT("unit_id","day")
);
--> statement-breakpoint
CREATE TABLE "calendar_office_hours" (
	"unit_id" uuid PRIMARY KEY NOT NULL,
	"sessions" jsonb NOT NULL,
	"saturday_morning" boolean DEFAULT false NOT NULL,
	"same_day_cutoff" text DEFAULT '15:00' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "calendar_adjustments_day_idx" ON "calendar_adjustments" USING btree ("day");--> statement-breakpoint
ALTER TABLE "calendar_adjustments" ADD CONSTRAINT "calendar_adjustments_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_office_hours" ADD CONSTRAINT "calendar_office_hours_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_adjustments" ADD CONSTRAINT "calendar_adjustments_kind_check" CHECK ("kind" IN ('day-off', 'working-day'));--> statement-breakpoint
-- The government's announced swaps (national: unit_id NULL). Later years are added by administrators.
INSERT INTO "calendar_adjustments" ("id", "unit_id", "day", "kind", "name", "legal_basis") VALUES
  ('01a20056-48c9-76af-903b-4ad228ccd9c2', NULL, '2024-04-29', 'day-off', 'Hoán đổi ngày làm việc dịp 30/4 – 1/5/2024 (làm bù thứ Bảy 04/05/2024)', 'Công văn 2450/VPCP-KGVX ngày 12/4/2024'),
  ('01a20056-48d0-769c-a75f-eea81e568b9c', NULL, '2024-05-04', 'working-day', 'Làm bù cho ngày nghỉ 29/04/2024', 'Công văn 2450/VPCP-KGVX ngày 12/4/2024'),
  ('01a20056-48d0-769c-a75f-f2858d8d3c38', NULL, '2025-05-02', 'day-off', 'Hoán đổi ngày làm việc dịp 30/4 – 1/5/2025 (làm bù thứ Bảy 26/04/2025)', 'Phương án nghỉ lễ 30/4 – 1/5/2025 được Thủ tướng Chính phủ đồng ý'),
  ('01a20056-48d0-769c-a75f-f612333dfd68', NULL, '2025-04-26', 'working-day', 'Làm bù cho ngày nghỉ 02/05/2025', 'Phương án nghỉ lễ 30/4 – 1/5/2025 được Thủ tướng Chính phủ đồng ý'),
  ('01a20056-48d0-769c-a75f-f97b70070e3b', NULL, '2026-01-02', 'day-off', 'Hoán đổi ngày làm việc dịp Tết Dương lịch 2026 (làm bù thứ Bảy 10/01/2026)', 'Công văn 12729/VPCP-KGVX ngày 25/12/2025'),
  ('01a20056-48d0-769c-a75f-fe4b52d9bfe2', NULL, '2026-01-10', 'working-day', 'Làm bù cho ngày nghỉ 02/01/2026', 'Công văn 12729/VPCP-KGVX ngày 25/12/2025');
