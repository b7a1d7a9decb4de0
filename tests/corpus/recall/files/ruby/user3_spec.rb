let(:user) { create(:user, :password => 'Ll!.18._ffqGsM') }
