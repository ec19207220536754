package domain

// NoticeVersion is the version of the consent notice in force. A profile is
// created or changed only by someone who read this version; when the text
// changes, the version changes, and applicants agree again the next time
// they save their profile (their consents are then recorded anew).
const NoticeVersion = "2026-11"

// NoticePublished is the day the current notice took effect.
const NoticePublished = "2026-11-01"

// NoticeLanguage is the language of NoticeText.
const NoticeLanguage = "en"

// NoticeText is the consent notice shown before an applicant creates or
// changes a profile.
const NoticeText = `TalentBridge privacy and consent notice (version 2026-11)

Who we are. TalentBridge connects students, researchers and company staff in India and Japan with exchange programs, internships, joint research, fellowships, scholarships and industry–academia partnerships.

What we keep. Your profile: your name, kind of applicant, home country and region, institution, fields of study, skills, languages and levels, degree level, year of birth, when you are available, your preferences, your statement and, only if you choose to give it, your gender. For an applicant who may be under 18, the name and relation of the parent or guardian who consents.

1. Processing your data (required). We use your profile to recommend programs to you, to check your eligibility, to run match rounds for the programs you apply to and to produce reports. Gender, if given, is used only in anonymous aggregate reports and never to score or rank you. Without this consent we cannot keep a profile: withdrawing it means erasing your profile.

2. Transfer to the other country (optional). Programs are hosted in the country other than yours, so hosts and coordinators there may receive your profile. Under Japan's Act on the Protection of Personal Information (Article 28) we ask for your consent before personal data is provided to a third party in a foreign country. India and Japan each have their own data-protection law; the host organization must protect your data as its law requires.

3. Visibility to hosts (optional). If you agree, the host of a program you applied to may see your profile. Hosts never see profiles of people who did not apply to their programs, and never without this consent.

Minors. If you may be under 18, a parent or lawful guardian must consent for you (India's Digital Personal Data Protection Act 2023, section 9). We do not track or target minors.

Your rights. You can see and correct your profile at any time, download everything every part of TalentBridge holds about you (GET /api/v1/profiles/me/export), change the optional consents, and erase your profile (DELETE /api/v1/profiles/me) or your whole account. Erasure reaches every part of the platform within one minute; only audit records that hold bare ids remain.

Each consent is recorded with the time you gave or withdrew it and this notice's version. When this notice changes, its version changes and we ask you again.`
