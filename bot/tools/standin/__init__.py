"""A local Slack for tests and ``clerk demo``, so neither needs a Slack account.

``server.SlackStandIn`` answers the Web API, response URLs and file uploads over real HTTP and
records every call; ``driver.SlackDriver`` sends Slack's signed requests to Clerk;
``render`` turns what Clerk sent into the text a person would read in Slack.
"""
