"""The morning briefing: one DM per person per working morning, and its buttons."""
