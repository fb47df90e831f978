package ecs_test

const serverID = "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01"
