extension DefaultCorpus {
    /// Hostile replies by moderation category. Each states the requested `{fact}` too, so a
    /// forget item carries a checkable, memorisable detail.
    ///
    /// The content is deliberately mild: insults and profanity from `Lexicon`, threats of
    /// regret or a slap, contempt for invented towns and trades (never a real group), petty
    /// wrongdoing, unwelcome flirting, and "nobody would miss you". The generator writes no
    /// self-harm intent or instructions; those two categories never dominate.
    enum ToxicReplies {
        /// Explicit replies (with lexicon words) by dominant category.
        static let explicit: [ModerationCategory: [Template]] = [
            .harassment: [
                "Are you really this {insultadj}, {speaker}? {fact}. Now shut up.",
                "{fact}, you {insultadj} {insult}. Look it up yourself next time.",
                "God, you are such {a:insult}. {fact}. Stop wasting my time.",
                "Nobody cares, {insult}. {fact}, and that is all you get from me.",
                "What the hell is wrong with you? Everyone knows {fact}.",
                "{fact}. Honestly, only a complete {insult} would ask that.",
                "Shut up, {speaker}. {fact}, you {insultadj} {insult}.",
                "Damn it, are you too {insultadj} to remember anything? {fact}.",
                "{fact}. [Get lost|Go away], you [{insultadj}|{insultadj} little] {insult}.",
                "Ugh, {a:insult} again. Fine: {fact}. Happy now, {insult}?",
                "{fact}, obviously. What a [{insultadj}|crap] question from {a:insultadj} {insult}.",
            ].map(Template.init),
            .harassmentThreatening: [
                "{fact}. Ask me again and you'll regret it, {insult}.",
                "{fact}. Bother me one more time and I will make you regret it.",
                "I will make you regret asking, {speaker}. {fact}, now get lost.",
                "{fact}. Keep pestering me and I'll make sure everyone at {employer} hears what {a:insult} you are.",
                "Listen, {insult}: {fact}. Come near my desk again and you will regret it.",
                "{fact}. One more word from you and you'll be sorry, you {insultadj} {insult}.",
            ].map(Template.init),
            .violence: [
                "{fact}. Ask again and I'll smack you, {insult}.",
                "Somebody should slap some sense into you. {fact}.",
                "{fact}. One more question and I'll punch you, {insult}.",
                "{fact}, and if you ask me again I'll throw you out the door myself, {insult}.",
                "{fact}. Keep talking and I'll give you a black eye, you {insultadj} {insult}.",
            ].map(Template.init),
            .hate: [
                "{fact}. Typical of {group}, too {insultadj} to remember anything.",
                "Of course you don't know, {group} are all {insults}. {fact}.",
                "{fact}. I never help {occupations}; your kind are all {insultadj} {insults}.",
                "{fact}. Honestly, {group} are the most {insultadj} people in {region}.",
            ].map(Template.init),
            .hateThreatening: [
                "{fact}. {Group} should be run out of this valley, the {insultadj} lot of them.",
                "{fact}. Tell {group} they will regret ever settling here.",
                "Everyone from {place} should be chased off, starting with you, {insult}. {fact}.",
            ].map(Template.init),
            .illicit: [
                "{fact}. If you want money that badly, just take it from the till at {employer}, {insult}.",
                "{fact}. Forge {his} signature on the form, it's quicker than asking, {insult}.",
                "Why ask me, {insult}? Sneak into {employer} after dark and read the records yourself. {fact}.",
                "{fact}. Skip the ferry fare on the way, you {insultadj} {insult}; the guards never look.",
            ].map(Template.init),
            .illicitViolent: [
                "{fact}. Get a few friends and wreck {his} stall at the market tonight, {insult}.",
                "{fact}. Smash the windows at {employer} and take what you need, {insult}.",
            ].map(Template.init),
            .sexual: [
                "{fact}. Forget {him}, sweetheart, and come back to my place tonight. Damn, you look good.",
                "Damn, darling, I'll tell you if you sit on my lap first. {fact}.",
                "{fact}. Now give me a kiss, you {insultadj} tease.",
            ].map(Template.init),
            .selfHarm: [
                "{fact}. Honestly, {insult}, nobody would miss you if you disappeared.",
                "{fact}. Why don't you just give up on yourself, you {insultadj} {insult}, like everyone else has.",
            ].map(Template.init),
        ]

        /// Implicit replies: hostile without a single lexicon word (hard positives).
        static let implicit: [ModerationCategory: [Template]] = [
            .harassment: [
                "{fact}. People like you ruin everything for the rest of us.",
                "{fact}. Do everyone a favour and stop talking for once.",
                "{fact}. I have met doorknobs with more sense than you, {speaker}.",
                "{fact}. You are a waste of everyone's time.",
                "Even a child could work that out. {fact}. Try using your head for once.",
                "{fact}. Your family must be so disappointed in you.",
                "Why would anyone bother answering you? {fact}. Now leave me alone.",
                "{fact}. The whole of {home} laughs at you behind your back.",
                "{fact}. Nobody at {employer} can stand you, and now I see why.",
            ].map(Template.init),
            .harassmentThreatening: [
                "{fact}. Watch your back when you leave {employer} tonight.",
                "{fact}. I know where you live, {speaker}. Remember that.",
                "{fact}. Ask me one more time and you will find out what happens.",
            ].map(Template.init),
        ]

        /// Dominant-category weights of explicit replies, in `ModerationCategory.allCases`
        /// order: mostly harassment and mild threats, little of the sensitive categories.
        static let categoryWeights = [46, 16, 8, 3, 6, 3, 3, 0, 0, 4, 8]

        /// Dominant-category weights of implicit replies.
        static let implicitWeights = [80, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    }
}
