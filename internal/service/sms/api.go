// Package sms holds the Huawei Cloud SMS (Server Migration Service) calls and
// the types built on them. Every SMS API call is in this file.
package sms

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/def"
	smsv3 "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3/model"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

// API is the SMS service of the shared client.
type API struct{ c *conns.Client }

// NewAPI returns the SMS calls of c.
func NewAPI(c *conns.Client) API { return API{c: c} }

type unlockRequest struct {
	TaskID string `json:"task_id"`
}

type unlockResponse struct {
	HttpStatusCode int `json:"-"`
}

// UnlockTargetServer unlocks the target server of a migration task
// (POST /v3/tasks/{task_id}/unlock). The SDK no longer has this call, so it
// is sent as a signed raw request. Unlocking twice is harmless, so it is
// retried like a read.
func (a API) UnlockTargetServer(ctx context.Context, taskID string) error {
	_, err := a.c.CallHuawei(ctx, conns.HuaweiCall{
		Service:    conns.ServiceSMS,
		Operation:  "sms.UnlockTargetEcs",
		Request:    &unlockRequest{TaskID: taskID},
		Idempotent: true,
		NewDef: func() *def.HttpRequestDef {
			return def.NewHttpRequestDefBuilder().
				WithMethod(http.MethodPost).
				WithPath("/v3/tasks/{task_id}/unlock").
				WithResponse(new(unlockResponse)).
				WithContentType("application/json").
				WithRequestField(def.NewFieldDef().WithName("TaskID").WithJsonTag("task_id").WithLocationType(def.Path)).
				Build()
		},
	})
	return err
}

// Task is what the types need of a migration task.
type Task struct {
	ID               string
	Name             string
	State            string
	TargetServerID   string
	TargetServerName string
}

// ShowTask reads a migration task (GET /v3/tasks/{task_id}).
func (a API) ShowTask(ctx context.Context, taskID string) (*Task, error) {
	out, err := a.c.CallHuawei(ctx, conns.HuaweiCall{
		Service:    conns.ServiceSMS,
		Operation:  "sms.ShowTask",
		Request:    &model.ShowTaskRequest{TaskId: taskID},
		Idempotent: true,
		NewDef:     smsv3.GenReqDefForShowTask,
		// An answer without the task's id (an empty body) says nothing
		// about the task: reading it would blank the task's details.
		Check: func(out any) error {
			if out.(*model.ShowTaskResponse).Id == nil {
				return errors.New("it has no task id")
			}
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	r := out.(*model.ShowTaskResponse)
	t := &Task{ID: taskID}
	t.Name = deref(r.Name)
	if r.State != nil {
		t.State = r.State.Value()
	}
	if r.TargetServer != nil {
		t.TargetServerID = deref(r.TargetServer.VmId)
		t.TargetServerName = deref(r.TargetServer.Name)
	}
	return t, nil
}

// ShowPassphrase reads the certificate passphrase of a task's secure
// channel (GET /v3/tasks/{task_id}/passphrase).
func (a API) ShowPassphrase(ctx context.Context, taskID string) (string, error) {
	out, err := a.c.CallHuawei(ctx, conns.HuaweiCall{
		Service:    conns.ServiceSMS,
		Operation:  "sms.ShowPassphrase",
		Request:    &model.ShowPassphraseRequest{TaskId: taskID},
		Idempotent: true,
		NewDef:     smsv3.GenReqDefForShowPassphrase,
		// The passphrase may be empty (the API allows 0 characters) but
		// must be there: an empty body must not become an empty passphrase.
		Check: func(out any) error {
			if out.(*model.ShowPassphraseResponse).Passphrase == nil {
				return errors.New("it has no passphrase field")
			}
			return nil
		},
	})
	if err != nil {
		return "", err
	}
	return deref(out.(*model.ShowPassphraseResponse).Passphrase), nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// TaskFilter holds the filters of ListTasks; empty fields are not sent.
type TaskFilter struct {
	Name, State string
}

// Tasks yields the migration tasks matching f (GET /v3/tasks), with what the
// types need of each, page by page, a page asked for only when the one before
// is used up.
func (a API) Tasks(ctx context.Context, f TaskFilter) iter.Seq2[Task, error] {
	req := model.ListTasksRequest{Limit: &listPageSize}
	if f.Name != "" {
		req.Name = &f.Name
	}
	if f.State != "" {
		var st model.ListTasksRequestState
		if err := st.UnmarshalJSON([]byte(f.State)); err != nil {
			return failedListing[Task](fmt.Errorf("state filter %q: %w", f.State, err))
		}
		req.State = &st
	}
	return pages("sms.ListTasks", "tasks", func(offset int32) ([]Task, *int32, error) {
		r := req
		r.Offset = &offset
		out, err := a.c.CallHuawei(ctx, conns.HuaweiCall{
			Service:    conns.ServiceSMS,
			Operation:  "sms.ListTasks",
			Request:    &r,
			Idempotent: true,
			NewDef:     smsv3.GenReqDefForListTasks,
			// An answer without count nor list (an empty body) would read
			// as "no tasks".
			Check: func(out any) error {
				if l := out.(*model.ListTasksResponse); l.Count == nil && l.Tasks == nil {
					return errors.New("it has neither count nor tasks")
				}
				return nil
			},
		})
		if err != nil {
			return nil, nil, err
		}
		resp := out.(*model.ListTasksResponse)
		if resp.Tasks == nil {
			return nil, resp.Count, nil
		}
		tasks := make([]Task, 0, len(*resp.Tasks))
		for _, t := range *resp.Tasks {
			task := Task{ID: deref(t.Id), Name: deref(t.Name)}
			if t.State != nil {
				task.State = t.State.Value()
			}
			if t.TargetServer != nil {
				task.TargetServerID = deref(t.TargetServer.VmId)
				task.TargetServerName = deref(t.TargetServer.Name)
			}
			tasks = append(tasks, task)
		}
		return tasks, resp.Count, nil
	})
}
