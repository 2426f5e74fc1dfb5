CREATE TABLE "notification_templates" (
	"event" text NOT NULL,
	"channel" text NOT NULL,
	"subject" text,
	"body" text NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "notification_templates_event_channel_pk" PRIMARY KEY("event","channel")
);
--> statement-breakpoint
CREATE TABLE "sms_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"unit_id" uuid,
	"dossier_id" uuid,
	"phone" text NOT NULL,
	"text" text NOT NULL,
	"provider" text NOT NULL,
	"provider_ref" text,
	"sent_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sms_messages_sent_idx" ON "sms_messages" USING btree ("sent_at");--> statement-breakpoint
CREATE INDEX "sms_messages_dossier_idx" ON "sms_messages" USING btree ("dossier_id");