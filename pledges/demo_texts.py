"""The words of the demo town: statements, commitments and progress updates."""

STATEMENTS = [
    "We see every day how hard things are for some families in our town, and we want to be part of the answer.",
    "Kindness is already part of how we work. Signing makes our promise public and holds us to it.",
    "Our staff asked us to sign. They want to be trusted to do the right thing for the people we serve.",
    "Children do better when the adults around them work together. We want to play our part.",
]
# Each priority's own commitments, by its number, so that a commitment sits under the priority
# it describes; two each, so that a reworded commitment has another wording to take.
COMMITMENTS = {
    1: [  # Make time for relationships
        "We will protect a weekly hour for staff to spend with the people we serve, with no forms to fill in.",
        "We will give volunteers a named person to turn to, and check in with them every month.",
    ],
    2: [  # Make kindness visible
        "We will celebrate a kindness story each month in our newsletter and on this registry.",
        "We will thank people in public, by name where they agree, when they go out of their way for others.",
    ],
    3: [  # Give permission to act
        "Our front-line team will be able to waive small charges for families in difficulty without asking a manager.",
        "Staff will be trusted to solve a family's problem on the spot, and tell us afterwards.",
    ],
    4: [  # Listen to what matters
        "We will hold listening sessions with families each term and publish what we changed.",
        "We will ask the children and young people we work with what matters to them, and act on it.",
    ],
    5: [  # Let values guide decisions
        "We will review our charging and debt policies with families who have experience of them.",
        'We will ask "is this kind?" of every new policy before it is agreed.',
    ],
}
# Each update's title with the story it tells. An organisation's updates take these in turn
# from a place of its own in the list, so its page never repeats a title.
UPDATES = [
    (
        "What we heard at our listening session",
        "We promised to listen, so we did. Over three evenings we heard from **families and staff** about what would help.\n\n- Shorter forms\n- A friendly face at reception\n- More flexible appointment times\n\nWe have already started on the first two.",
    ),
    (
        "A month of kindness stories",
        "Our team shared *twelve* stories of kindness this month. One colleague stayed late to help a parent fill in a form; another organised a coat swap.\n\nThank you to everyone who took part.",
    ),
    (
        "How our staff used their new discretion fund",
        "Since we changed our rules, front-line staff have used their judgement to help dozens of families quickly, without waiting for sign-off. The average wait for help fell from a week to a day.",
    ),
    (
        "Our warm space is open again",
        "The warm space is open every weekday afternoon until March, with hot drinks, games for children and someone to talk to. Nobody needs to book or say why they came.",
    ),
    (
        "Changing the letters we send to families",
        "We reviewed our letters with people who had received them. The new versions are shorter, kinder and clearer about where to get help.",
    ),
    (
        "Volunteers' coffee mornings are a hit",
        "Every volunteer now has a named person to turn to. The monthly coffee morning brought **eighteen** of them together last week, and two new ideas for the summer holidays.",
    ),
    (
        "Six months on: what has changed",
        "Six months after signing, we asked ourselves what is different. Meetings start with how people are. Targets are reviewed with the people they measure. There is more to do.",
    ),
    (
        "A quiet room for parents",
        "Parents asked for somewhere to sit while their children are seen. The old store room is now a quiet room with comfortable chairs, a kettle and leaflets nobody has to ask for.",
    ),
    (
        "Free school uniform swap",
        "Families brought what no longer fits and took what does. **Ninety** items found a new home, and nobody had to explain why they needed them.",
    ),
    (
        "We changed how we chase late payments",
        "We now phone before we write, and the first question is whether the family is all right. Payment plans are offered at once, and no letter mentions bailiffs.",
    ),
    (
        "Our first kindness awards",
        "Children and parents nominated the people who made a difference this year. The awards evening was full, and the lunchtime staff took the loudest cheer.",
    ),
    (
        "What the young people told us",
        "We asked the young people who use our service what feels kind and what does not. They asked us to explain decisions, to remember their names and to keep promises. We have put all three in our team plan.",
    ),
]
