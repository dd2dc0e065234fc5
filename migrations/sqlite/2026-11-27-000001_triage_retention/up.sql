-- Safety triage: the categories of the signal words found when the story was told
-- (';'-joined), and when a begeleider marked the signal as handled.
ALTER TABLE stories ADD COLUMN safety_flag TEXT;
ALTER TABLE stories ADD COLUMN safety_handled_at BIGINT;
-- Retention: when the texts of the story were deleted because its project's period was over.
ALTER TABLE stories ADD COLUMN text_deleted_at BIGINT;
