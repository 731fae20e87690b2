package app

// isMacOS: the menu starts with the application menu (About, Hide, Quit).
const isMacOS = true
