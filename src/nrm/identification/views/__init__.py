"""The identification screens: a case's screenings and decisions, the interview, requests for a
decision, decisions, appeals, the decision makers' inbox and the worklist of what is due."""
