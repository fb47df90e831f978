package sms

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/operation"
)

// NewSourceServerResource is the constructor of cloudlock_sms_source_server.
func NewSourceServerResource() resource.Resource { return &sourceServerResource{} }

type sourceServerResource struct{ client *conns.Client }

var (
	_ resource.ResourceWithConfigure   = (*sourceServerResource)(nil)
	_ resource.ResourceWithImportState = (*sourceServerResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*sourceServerResource)(nil)
)

const (
	sourceCreateTimeout = 5 * time.Minute
	sourceReadTimeout   = 2 * time.Minute
	sourceUpdateTimeout = 5 * time.Minute
	sourceDeleteTimeout = 5 * time.Minute
)

func (r *sourceServerResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sms_source_server"
}

func (r *sourceServerResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = sourceServerResourceSchema(ctx)
}

func (r *sourceServerResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = operation.ProviderClient(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fails the plan, before any call, when Huawei Cloud is not
// configured, and gives the identity of a state written before identity.
func (r *sourceServerResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil || req.Plan.Raw.IsNull() {
		return
	}
	if !operation.CheckHuawei(ctx, r.client, &resp.Diagnostics) {
		return
	}
	planIdentityFromState(ctx, req, resp, "id")
}

func describe(m *sourceServerModel) string {
	return fmt.Sprintf("source server %q (ip %s, %s %s)", m.Hostname.ValueString(), m.IP.ValueString(),
		m.OSType.ValueString(), m.OSVersion.ValueString())
}

func (r *sourceServerResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan sourceServerModel
	ctx, cancel, ok := operation.Start(ctx, req.Plan, &plan, operation.Create(&plan.Timeouts, sourceCreateTimeout), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	body, diags := plan.registration(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	api := NewAPI(r.client)
	// The API has no idempotency token: an apply interrupted after SMS
	// registered the server leaves a record that nothing in state knows.
	// Look for it first, by what the registration sends.
	run := runRegistrations(r.client)
	unlock := run.lock(plan.IP.ValueString())
	id, diags := r.findRegistration(ctx, api, &plan, run)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		unlock()
		return
	}
	if id == "" {
		var err error
		if id, err = api.RegisterServer(ctx, body); err != nil {
			unlock()
			resp.Diagnostics.AddError("Failed to register the SMS source server", registrationFailure(&plan, err))
			return
		}
	}
	run.claim(id)
	unlock()
	plan.ID = types.StringValue(id)

	// The server is registered: from here on it is written to state,
	// whatever the read of its details says.
	shown, err := api.ShowServer(ctx, id)
	if err != nil {
		plan.fillUnknown(ctx, nil)
		resp.Diagnostics.AddWarning("Source server registered but not read back",
			fmt.Sprintf("SMS registered %s as %q, but reading it back failed; values SMS fills in are null until the next refresh.\n\n%s",
				plan.Hostname.ValueString(), id, conns.ErrorDetail("Reading source server "+id, err)))
	} else {
		answered, diags := fromShow(ctx, shown)
		resp.Diagnostics.Append(diags...)
		plan.fillUnknown(ctx, &answered)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentityAttribute(ctx, resp.Identity, "id", plan.ID)...)
}

func (r *sourceServerResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state sourceServerModel
	ctx, cancel, ok := operation.Start(ctx, req.State, &state, operation.Read(&state.Timeouts, sourceReadTimeout), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	id := state.ID.ValueString()
	// Set before the read: a server deleted out of band leaves state with
	// an identity even when the state had none (written before identity).
	resp.Diagnostics.Append(setIdentityAttribute(ctx, resp.Identity, "id", state.ID)...)
	shown, err := NewAPI(r.client).ShowServer(ctx, id)
	switch {
	case conns.IsNotFound(err):
		tflog.Info(ctx, "SMS source server is gone; removing it from state", map[string]any{"id": id})
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		resp.Diagnostics.AddError("Failed to read an SMS source server", conns.ErrorDetail(fmt.Sprintf("Reading source server %q", id), err))
		return
	}
	answered, diags := fromShow(ctx, shown)
	resp.Diagnostics.Append(diags...)
	state.setRead(answered)
	state.ID = types.StringValue(id)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update renames the server when name changed; the plan modifiers replace
// the server for any other argument, except values recorded after an
// import (adoptKey), which need no call.
func (r *sourceServerResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state sourceServerModel
	// The state first: Start then reads the plan and stops at an error of either.
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel, ok := operation.Start(ctx, req.Plan, &plan, operation.Update(&plan.Timeouts, sourceUpdateTimeout), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	id := state.ID.ValueString()
	api := NewAPI(r.client)
	if !plan.Name.IsUnknown() && !plan.Name.Equal(state.Name) {
		if err := api.UpdateServerName(ctx, id, plan.Name.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Failed to rename the SMS source server",
				conns.ErrorDetail(fmt.Sprintf("Renaming source server %q from %q to %q", id, state.Name.ValueString(), plan.Name.ValueString()), err))
			return
		}
	}
	shown, err := api.ShowServer(ctx, id)
	if err != nil {
		plan.fillUnknown(ctx, &state)
		resp.Diagnostics.AddWarning("Source server not read back",
			fmt.Sprintf("Reading source server %q after the update failed; its status attributes keep their last values until the next refresh.\n\n%s",
				id, conns.ErrorDetail("Reading source server "+id, err)))
	} else {
		answered, diags := fromShow(ctx, shown)
		resp.Diagnostics.Append(diags...)
		plan.fillUnknown(ctx, &answered)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentityAttribute(ctx, resp.Identity, "id", state.ID)...)
	// The arguments an import could not read now hold configured values.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, adoptKey, nil)...)
}

func (r *sourceServerResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state sourceServerModel
	ctx, cancel, ok := operation.Start(ctx, req.State, &state, operation.Delete(&state.Timeouts, sourceDeleteTimeout), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	id := state.ID.ValueString()
	err := NewAPI(r.client).DeleteServer(ctx, id)
	switch {
	case conns.IsNotFound(err):
		tflog.Info(ctx, "SMS source server was already deleted", map[string]any{"id": id})
	case err != nil:
		resp.Diagnostics.AddError("Failed to delete the SMS source server", conns.ErrorDetail(fmt.Sprintf("Deleting source server %q", id), err))
	}
}

// ImportState takes a source server id, as the import id or an import
// block's identity. The arguments SMS never returns stay null; the private
// mark lets the first apply record their configured values instead of
// registering the server again.
func (r *sourceServerResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, what, diags := importedID(ctx, req, "id")
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The id goes into the URL path unescaped (GET /v3/sources/{id}): a "/",
	// "?" or ".." would read another API's answer as this server's.
	if id == "" || len(id) > 255 || !taskIDPattern.MatchString(id) {
		resp.Diagnostics.AddError("Invalid "+what, fmt.Sprintf("Expected an SMS source server id (1–255 letters, digits, '-' and '_') as the %s, got %q.", what, id))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, adoptKey, []byte(`true`))...)
}

// registrations are the creates of one run (one configured client): the
// look-up and registration of one ip at a time, and the ids they registered
// or took over, so that two resources of the run that register the same
// host do not take over each other's record. Nothing outlives the run.
type registrations struct {
	mu   sync.Mutex
	byIP map[string]*sync.Mutex
	ids  map[string]bool
}

var runs sync.Map // *conns.Client -> *registrations

func runRegistrations(c *conns.Client) *registrations {
	v, _ := runs.LoadOrStore(c, &registrations{byIP: map[string]*sync.Mutex{}, ids: map[string]bool{}})
	return v.(*registrations)
}

// lock serializes the look-up and registration for ip; it returns the unlock.
func (g *registrations) lock(ip string) func() {
	g.mu.Lock()
	m, ok := g.byIP[ip]
	if !ok {
		m = &sync.Mutex{}
		g.byIP[ip] = m
	}
	g.mu.Unlock()
	m.Lock()
	return m.Unlock
}

func (g *registrations) claim(id string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.ids[id] = true
}

func (g *registrations) claimed(id string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.ids[id]
}

// maxCandidates bounds the ShowServer calls of findRegistration: more
// records with the same ip, name and OS than this is no unambiguous match.
const maxCandidates = 10

// findRegistration returns the id of the one source server SMS holds that
// was registered with what plan sends (an earlier create of this
// configuration, interrupted before its answer arrived, or the Agent's own
// registration of the same host), or "" when there is none. The list is
// filtered by ip (and name); each candidate is read (ShowServer) and must
// hold every value the registration sends that SMS returns, nested lists
// included. More than one match is an error: taking over a guess could
// take another configuration's server, and registering would add another.
func (r *sourceServerResource) findRegistration(ctx context.Context, api API, plan *sourceServerModel, run *registrations) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	doing := fmt.Sprintf("Looking for a source server SMS already holds with ip %s before registering %s", plan.IP.ValueString(), describe(plan))
	lookFailed := func(err error) {
		diags.AddError("Failed to look for an earlier registration of the SMS source server",
			conns.ErrorDetail(doing, err)+"\n\nThe registration API has no idempotency token, so before registering the provider looks "+
				"for a record an interrupted apply may have made (GET /v3/sources). Nothing was registered; apply again when SMS answers.")
	}
	name := plan.Name.ValueString() // what the registration sends: "" when unset
	items, err := api.ListServers(ctx, ServerFilter{IP: plan.IP.ValueString(), Name: name})
	switch {
	case conns.IsForbidden(err):
		// Register-only credentials: the look-up is a safeguard, not a
		// condition; say what it could not do.
		diags.AddWarning("No look-up for an earlier registration",
			fmt.Sprintf("These credentials may not list SMS source servers (sms:server:list), so the provider could not check whether an "+
				"interrupted apply already registered %s; it registers the server. If SMS then holds two records of it, delete the older.\n\n%v",
				describe(plan), err))
		return "", diags
	case err != nil:
		lookFailed(err)
		return "", diags
	}
	var candidates []string
	for _, it := range items {
		if it.Id == nil || it.Ip == nil || *it.Ip != plan.IP.ValueString() || it.Name == nil || *it.Name != name ||
			it.OsType == nil || it.OsType.Value() != plan.OSType.ValueString() ||
			it.OsVersion == nil || *it.OsVersion != plan.OSVersion.ValueString() {
			continue
		}
		if run.claimed(*it.Id) {
			continue // registered or taken over by another resource of this run
		}
		candidates = append(candidates, *it.Id)
	}
	var matches []string
	for i, id := range candidates {
		if i == maxCandidates {
			matches = append(matches, candidates[i:]...) // too many to read: ambiguous whatever they hold
			break
		}
		shown, err := api.ShowServer(ctx, id)
		switch {
		case conns.IsNotFound(err):
			continue // deleted since the list
		case err != nil:
			lookFailed(err)
			return "", diags
		}
		answered, d := fromShow(ctx, shown)
		diags.Append(d...)
		if plan.registeredAs(ctx, answered) {
			matches = append(matches, id)
		}
	}
	switch len(matches) {
	case 0:
		return "", diags
	case 1:
		tflog.Info(ctx, "taking over the SMS source server already registered with these values", map[string]any{"id": matches[0]})
		diags.AddWarning("Took over an existing SMS registration",
			fmt.Sprintf("SMS already holds source server %q, registered with the values of this configuration (%s): an earlier apply "+
				"interrupted before SMS answered, or the server's Agent, registered it. It is taken over instead of registered again; "+
				"the arguments SMS does not return are recorded as configured.", matches[0], describe(plan)))
		return matches[0], diags
	}
	diags.AddError("More than one SMS source server matches this registration",
		fmt.Sprintf("SMS holds %d source servers registered with the values of this configuration (%s): %s. The provider takes over only "+
			"an unambiguous match, and registers nothing rather than add another record of the same host. Import the one to manage by its "+
			"id (an import block or terraform import) and delete the others, or change the configuration.",
			len(matches), describe(plan), strings.Join(matches, ", ")))
	return "", diags
}

// registeredAs reports whether a, the answer for a registered server,
// holds every value the registration of m sends that SMS returns. Values
// the plan leaves to SMS (unknown) match whatever SMS holds.
func (m *sourceServerModel) registeredAs(ctx context.Context, a sourceServerModel) bool {
	c := *m
	c.fillUnknown(ctx, &a)
	return a.Name.Equal(types.StringValue(m.Name.ValueString())) && c.IP.Equal(a.IP) && c.Hostname.Equal(a.Hostname) &&
		c.OSType.Equal(a.OSType) && c.OSVersion.Equal(a.OSVersion) && c.Firmware.Equal(a.Firmware) &&
		c.CPUQuantity.Equal(a.CPUQuantity) && c.Memory.Equal(a.Memory) && c.AgentVersion.Equal(a.AgentVersion) &&
		c.OEMSystem.Equal(a.OEMSystem) && c.StartType.Equal(a.StartType) && c.HasTc.Equal(a.HasTc) &&
		blockList(c.Disks).Equal(a.Disks) && blockList(c.BtrfsList).Equal(a.BtrfsList) && blockList(c.Networks).Equal(a.Networks) &&
		blockList(c.VolumeGroups).Equal(a.VolumeGroups)
}

// registrationFailure is the detail of a failed registration. Unless SMS
// answered with a refusal, it may have registered the server all the same:
// the detail says so, and what the next apply does about it.
func registrationFailure(plan *sourceServerModel, err error) string {
	doing := "Registering " + describe(plan)
	detail := conns.ErrorDetail(doing, err)
	var se *conns.StoppedError
	if errors.As(err, &se) && se.Reason == "was cancelled" {
		// Interrupted: a longer timeout is not the fix.
		detail = fmt.Sprintf("%s was cancelled before SMS answered.\n\nLast error: %v", doing, se.Last)
	}
	var ce *conns.CloudError
	refused := errors.As(err, &ce) && ce.HTTPStatus >= 400 && ce.HTTPStatus < 500
	if refused || conns.IsCredentialsError(err) {
		return detail
	}
	return detail + fmt.Sprintf("\n\nSMS may have registered the server even so: the request was sent and no answer said it was refused. "+
		"Nothing was written to state. The next apply looks for a source server SMS holds with exactly these values (ip %s, hostname %s, "+
		"name %q) and takes it over instead of registering it again.", plan.IP.ValueString(), plan.Hostname.ValueString(), plan.Name.ValueString())
}
