// Runs once, on an empty data directory, from the official image's entrypoint.
db.getSiblingDB("admin").grantRolesToUser("admin", [
  { role: "dbOwner", db: "ProjectTemplates" },
  { role: "dbOwner", db: "ProjectsLargeData" },
  { role: "dbOwner", db: "System" },
  { role: "dbOwner", db: "UserSettings" },
  { role: "dbOwner", db: "Projects" },
]);
