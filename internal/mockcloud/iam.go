package mockcloud

// GET /v3/projects?name=<region>: the SDK's project-id look-up. Only the
// server's own Region has a project, as for an account with one project.
func (s *Server) keystoneListProjects(c *call) answer {
	if name := c.r.URL.Query().Get("name"); name != "" && name != s.opts.Region {
		return answer{fixture: "iam/keystone_list_projects_empty.json"}
	}
	return answer{fixture: "iam/keystone_list_projects.json"}
}
