"""The consent form's words. Changing anything here makes a new ConsentFormVersion the
next time the form is shown; records already made keep the version they agreed to."""

FORM_WORDING = """\
Sharing your story with the Lived Experience Archive

Thank you for sharing your story. It is yours: you decide where it goes, and you can take it back at any time.

What we will do with your story
We will only use your story in the ways you tick below. A member of our team checks every story before anyone else sees it.

1. Where may we use your story? Tick all that you agree to.
- On the public website, where anyone can see it.
- In training sessions, for example short clips shown to council staff.
- Quoted in reports, for example a sentence in a report about racism in your borough.
- Or: kept in the archive only, for research. Nobody outside the archive team will see or hear it.

2. May we play your voice and show your face?
- Yes, my voice and face may be played.
- No, only show the words I said (a written transcript), never my voice or face.

3. Until when? You can choose a date after which we stop using your story. If you leave it empty, we use it until you tell us to stop.

4. If you are under 18, a parent or guardian must agree too, and give their name.

5. How do you want to be named? Your full name, your first name only, a made-up name, or no name at all.

Taking your story back
After you send your story we give you a private link and a code. With them you can take your story back, in full or in part, at any time, without giving a reason. When you take it back we delete the recordings, the words and every copy we made. We keep only a short note that a consent was given and later withdrawn, with no part of your story in it.

Your contact details
Your email address is optional. We use it only to send you your link and code, and to tell you when something changes. We delete it when you take your story back, unless you ask to hear from us again.
"""  # noqa: E501  (the words as agreed: rewrapping them would make a new form version)
