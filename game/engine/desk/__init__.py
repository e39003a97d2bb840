"""The desk: the trainee's keyboard and mouse, and the trainee's on-screen text."""
