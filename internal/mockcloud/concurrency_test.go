package mockcloud_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3/model"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// 50 parallel requests mixing reads, unlocks and faults, with state and the
// journal read at the same time; run with -race.
func TestConcurrentRequests(t *testing.T) {
	s := startMock(t)
	for i := 0; i < 10; i++ {
		s.PutTask(mockcloud.Task{ID: fmt.Sprintf("task-%02d", i), Passphrase: "p", TargetLocked: true})
	}
	hc := hcClient(t, s.URL(), hwCreds)
	c := smsClient(t, s.URL(), hwCreds)
	s.InjectFault("sms.ShowPassphrase", mockcloud.Fault{Status: 500, Times: 5})

	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			id := fmt.Sprintf("task-%02d", i%10)
			var err error
			switch i % 3 {
			case 0:
				err = unlock(hc, id)
			case 1:
				_, err = showTask(c, id)
			case 2:
				_, err = c.ShowPassphrase(&model.ShowPassphraseRequest{TaskId: id})
			}
			if err != nil && i%3 != 2 { // passphrase calls may meet the faults
				errs <- err
			}
			_ = s.Journal()
			_, _ = s.Task(id)
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(s.Journal()); n != 50 {
		t.Errorf("journal has %d entries, want 50", n)
	}
	faulted := 0
	for _, e := range s.Journal() {
		if e.Faulted {
			faulted++
		}
	}
	if faulted != 5 {
		t.Errorf("%d faulted requests, want 5", faulted)
	}
	for i := 0; i < 10; i++ {
		if task, _ := s.Task(fmt.Sprintf("task-%02d", i)); task.TargetLocked {
			t.Errorf("task-%02d still locked", i)
		}
	}
}
