-- Rules pick templates by name (recovery rules' then.template): the org's templates of one name
-- form a set with one template per channel and locale, chosen by the customer's locale. So a
-- locale may now have several templates of one channel, one per name.
ALTER TABLE message_templates DROP CONSTRAINT message_templates_org_id_channel_locale_key;
ALTER TABLE message_templates ADD CONSTRAINT message_templates_one_per_name_channel_locale UNIQUE (org_id, name, channel, locale);
