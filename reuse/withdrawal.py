"""Reuse's withdrawal step: a withdrawal, lapse or narrowing removes exactly the affected
clips from every reel and pack, deletes their files, marks each affected reel as changed and
tells its owner, and drops the story from saved reports' quotes and files."""
