-- Deal board (issue 18). A stage may say after how many days without activity its open deals are
-- "rotting" (null: never); a won deal may keep why it was won, as a lost deal keeps why it was lost.
alter table stages add column rotting_days integer check (rotting_days between 1 and 3650);
alter table deals add column won_reason text;
